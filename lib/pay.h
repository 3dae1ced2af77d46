/*
 * pay: a payload (a Kafka message's key or value, a raw input line) as
 * record JSON, by DESIGN section 1's reading.
 *
 * PAY_AUTO: a payload that parses as a JSON object, array, number, true or
 * false, with no spaces around it, becomes that JSON, its bytes kept (line
 * breaks inside it become spaces); any other UTF-8 payload becomes a JSON
 * string of its text; a
 * payload that is not UTF-8 goes to the base64 member instead.  PAY_JSON:
 * it must be JSON (else an error); PAY_STRING: always a string (base64 if
 * not UTF-8); PAY_BASE64: always base64.  A NULL payload is null.
 */
#ifndef KP_PAY_H
#define KP_PAY_H

#include <stddef.h>

#include "buf.h"

enum pay_kind { PAY_AUTO, PAY_JSON, PAY_STRING, PAY_BASE64 };

/* Parse "auto", "json", "string" or "base64"; -1 if none. */
int pay_kind_parse(const char *s, enum pay_kind *k);

/*
 * Append the JSON text of payload p (n bytes; p NULL: a Kafka NULL) to
 * out, and return 0, or 1 when it went in base64 (the caller names the
 * member key_base64 or value_base64), or -1 with *why for PAY_JSON input
 * that is not JSON.
 */
int pay_json(struct buf *out, const char *p, size_t n, enum pay_kind k,
    const char **why);

#endif

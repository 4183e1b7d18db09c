/* JSON helpers for the C tests: structural comparison of cJSON values, and reading a member's
 * raw text straight out of a vector file so the library receives the file's exact bytes (cJSON
 * would cut a string at an escaped NUL, as in esms/send_error_control_character.json). */
#ifndef NHANTIN_TEST_JSON_UTIL_H
#define NHANTIN_TEST_JSON_UTIL_H

#include <cJSON.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Structural equality: numbers by value (36693 == 36693.0), objects by key set (case
 * sensitive, any order), arrays element by element, strings byte for byte. */
static inline bool json_equal(const cJSON *a, const cJSON *b) {
    if (a == NULL || b == NULL) {
        return a == b;
    }
    if (cJSON_IsNumber(a) || cJSON_IsNumber(b)) {
        return cJSON_IsNumber(a) && cJSON_IsNumber(b) && a->valuedouble == b->valuedouble;
    }
    if (cJSON_IsString(a) || cJSON_IsString(b)) {
        return cJSON_IsString(a) && cJSON_IsString(b) && strcmp(a->valuestring, b->valuestring) == 0;
    }
    if (cJSON_IsBool(a) || cJSON_IsBool(b)) {
        return cJSON_IsBool(a) && cJSON_IsBool(b) && cJSON_IsTrue(a) == cJSON_IsTrue(b);
    }
    if (cJSON_IsNull(a) || cJSON_IsNull(b)) {
        return cJSON_IsNull(a) && cJSON_IsNull(b);
    }
    if (cJSON_IsArray(a) || cJSON_IsArray(b)) {
        if (!cJSON_IsArray(a) || !cJSON_IsArray(b) || cJSON_GetArraySize(a) != cJSON_GetArraySize(b)) {
            return false;
        }
        const cJSON *x = a->child;
        const cJSON *y = b->child;
        for (; x != NULL && y != NULL; x = x->next, y = y->next) {
            if (!json_equal(x, y)) {
                return false;
            }
        }
        return x == NULL && y == NULL;
    }
    if (cJSON_IsObject(a) && cJSON_IsObject(b)) {
        if (cJSON_GetArraySize(a) != cJSON_GetArraySize(b)) {
            return false;
        }
        for (const cJSON *x = a->child; x != NULL; x = x->next) {
            const cJSON *y = cJSON_GetObjectItemCaseSensitive(b, x->string);
            if (y == NULL || !json_equal(x, y)) {
                return false;
            }
        }
        return true;
    }
    return false;
}

/* Compact text of a value for failure messages; caller frees with free(). */
static inline char *json_text(const cJSON *v) {
    if (v == NULL) {
        char *s = (char *)malloc(sizeof "(absent)");
        if (s != NULL) {
            memcpy(s, "(absent)", sizeof "(absent)");
        }
        return s;
    }
    return cJSON_PrintUnformatted(v);
}

/* --- raw member text ------------------------------------------------------------------------ */

static inline const char *json_skip_ws(const char *p) {
    while (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t') {
        p++;
    }
    return p;
}

/* `p` at an opening quote; returns the character after the closing quote, or NULL. */
static inline const char *json_skip_string(const char *p) {
    p++;
    while (*p != '\0' && *p != '"') {
        if (*p == '\\' && p[1] != '\0') {
            p++;
        }
        p++;
    }
    return *p == '"' ? p + 1 : NULL;
}

/* Returns the end of the value starting at `p`, or NULL when the text is malformed. */
static inline const char *json_skip_value(const char *p) {
    p = json_skip_ws(p);
    if (*p == '"') {
        return json_skip_string(p);
    }
    if (*p == '{' || *p == '[') {
        int depth = 0;
        while (*p != '\0') {
            if (*p == '"') {
                p = json_skip_string(p);
                if (p == NULL) {
                    return NULL;
                }
                continue;
            }
            if (*p == '{' || *p == '[') {
                depth++;
            } else if (*p == '}' || *p == ']') {
                depth--;
                if (depth == 0) {
                    return p + 1;
                }
            }
            p++;
        }
        return NULL;
    }
    const char *start = p;
    while (*p != '\0' && *p != ',' && *p != '}' && *p != ']' && *p != ' ' && *p != '\n' && *p != '\r' && *p != '\t') {
        p++;
    }
    return p == start ? NULL : p;
}

/* The exact text of member `key` of the JSON object `obj` (keys without escapes), as a new
 * NUL-terminated string the caller frees; NULL when absent or malformed. */
static inline char *json_raw_member(const char *obj, const char *key) {
    const char *p = json_skip_ws(obj);
    if (*p != '{') {
        return NULL;
    }
    p++;
    size_t key_len = strlen(key);
    for (;;) {
        p = json_skip_ws(p);
        if (*p != '"') {
            return NULL;
        }
        const char *name = p + 1;
        const char *after = json_skip_string(p);
        if (after == NULL) {
            return NULL;
        }
        bool match = (size_t)(after - 1 - name) == key_len && memcmp(name, key, key_len) == 0;
        p = json_skip_ws(after);
        if (*p != ':') {
            return NULL;
        }
        const char *value = json_skip_ws(p + 1);
        const char *end = json_skip_value(value);
        if (end == NULL) {
            return NULL;
        }
        if (match) {
            size_t n = (size_t)(end - value);
            char *copy = (char *)malloc(n + 1);
            if (copy != NULL) {
                memcpy(copy, value, n);
                copy[n] = '\0';
            }
            return copy;
        }
        p = json_skip_ws(end);
        if (*p == ',') {
            p++;
            continue;
        }
        return NULL;
    }
}

static inline int json_hex4(const char *p) {
    int v = 0;
    for (int i = 0; i < 4; i++) {
        char c = p[i];
        v <<= 4;
        if (c >= '0' && c <= '9') {
            v |= c - '0';
        } else if (c >= 'a' && c <= 'f') {
            v |= c - 'a' + 10;
        } else if (c >= 'A' && c <= 'F') {
            v |= c - 'A' + 10;
        } else {
            return -1;
        }
    }
    return v;
}

/* Decodes the raw JSON string literal `raw` (with its quotes) into bytes, NULs included:
 * returns a buffer the caller frees (NUL-terminated for convenience) and its length in `*len`,
 * or NULL when `raw` is not a string literal. */
static inline unsigned char *json_decode_string(const char *raw, size_t *len) {
    if (raw == NULL || raw[0] != '"') {
        return NULL;
    }
    size_t cap = strlen(raw) + 1;
    unsigned char *out = (unsigned char *)malloc(cap);
    if (out == NULL) {
        return NULL;
    }
    size_t n = 0;
    const char *p = raw + 1;
    while (*p != '"') {
        if (*p == '\0') {
            free(out);
            return NULL;
        }
        if (*p != '\\') {
            out[n++] = (unsigned char)*p++;
            continue;
        }
        p++;
        uint32_t cp;
        switch (*p) {
        case '"': cp = '"'; break;
        case '\\': cp = '\\'; break;
        case '/': cp = '/'; break;
        case 'b': cp = '\b'; break;
        case 'f': cp = '\f'; break;
        case 'n': cp = '\n'; break;
        case 'r': cp = '\r'; break;
        case 't': cp = '\t'; break;
        case 'u': {
            int hi = json_hex4(p + 1);
            if (hi < 0) {
                free(out);
                return NULL;
            }
            p += 4;
            cp = (uint32_t)hi;
            if (hi >= 0xD800 && hi <= 0xDBFF && p[1] == '\\' && p[2] == 'u') {
                int lo = json_hex4(p + 3);
                if (lo >= 0xDC00 && lo <= 0xDFFF) {
                    cp = 0x10000u + (((uint32_t)hi - 0xD800u) << 10) + ((uint32_t)lo - 0xDC00u);
                    p += 6;
                }
            }
            break;
        }
        default:
            free(out);
            return NULL;
        }
        p++;
        if (cp < 0x80) {
            out[n++] = (unsigned char)cp;
        } else if (cp < 0x800) {
            out[n++] = (unsigned char)(0xC0 | (cp >> 6));
            out[n++] = (unsigned char)(0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            out[n++] = (unsigned char)(0xE0 | (cp >> 12));
            out[n++] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
            out[n++] = (unsigned char)(0x80 | (cp & 0x3F));
        } else {
            out[n++] = (unsigned char)(0xF0 | (cp >> 18));
            out[n++] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
            out[n++] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
            out[n++] = (unsigned char)(0x80 | (cp & 0x3F));
        }
    }
    out[n] = '\0';
    *len = n;
    return out;
}

#endif /* NHANTIN_TEST_JSON_UTIL_H */

/*
 * What both conformance programs share: files in the run's directory, and the read side's manifest lines
 * ("kind key=value ...") checked against what the program finds, each printed as "ok" or "FAIL".
 */
#ifndef CONFORMANCE_MANIFEST_H
#define CONFORMANCE_MANIFEST_H

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static inline FILE *open_in(const char *dir, const char *name, const char *mode)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, mode);
    if (!f) perror(path);
    return f;
}

static inline int write_file(const char *dir, const char *name, const void *data, size_t size)
{
    FILE *f = open_in(dir, name, "wb");
    if (!f) return -1;
    int ok = fwrite(data, 1, size, f) == size;
    return (fclose(f) == 0 && ok) ? 0 : -1;
}

static int fails, oks;

static inline void check(const char *what, const char *expected, uint64_t actual, int is_signed)
{
    char *end;
    uint64_t want = strtoull(expected, &end, 10); /* "-22" becomes (uint64_t)-22, like a sign-extended status */
    if (*end || !*expected) {
        printf("FAIL %s expected %s actual (not a number in the manifest)\n", what, expected);
        fails++;
    } else if (want != actual) {
        if (is_signed) printf("FAIL %s expected %s actual %" PRId64 "\n", what, expected, (int64_t)actual);
        else printf("FAIL %s expected %s actual %" PRIu64 "\n", what, expected, actual);
        fails++;
    } else {
        printf("ok %s %s\n", what, expected);
        oks++;
    }
}

static inline void fail(const char *what, const char *why)
{
    printf("FAIL %s expected %s actual (missing)\n", what, why);
    fails++;
}

struct record {
    char *kind;
    int n;
    char *key[24];
    char *val[24];
};

static inline int parse(char *line, struct record *r)
{
    char *save, *tok;
    line[strcspn(line, "\r\n")] = 0;
    r->kind = strtok_r(line, " ", &save);
    r->n = 0;
    if (!r->kind || r->kind[0] == '#') return 0;
    while ((tok = strtok_r(NULL, " ", &save)) && r->n < 24) {
        char *eq = strchr(tok, '=');
        if (!eq) continue;
        *eq = 0;
        r->key[r->n] = tok;
        r->val[r->n++] = eq + 1;
    }
    return 1;
}

static inline char *get(const struct record *r, const char *key)
{
    for (int i = 0; i < r->n; i++)
        if (!strcmp(r->key[i], key)) return r->val[i];
    return NULL;
}

#endif

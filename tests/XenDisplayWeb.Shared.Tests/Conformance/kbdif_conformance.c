/* Conformance of XenDisplayWeb's kbdif encoding with the real headers (io/kbdif.h and, for the key codes
 * kbdif carries, linux/input-event-codes.h).
 *
 *   kbdif_conformance layout     sizes, offsets, constants and Linux input codes as name=value lines
 *   kbdif_conformance write DIR  page.bin and manifest.txt, made with the real structs and ring macros
 *   kbdif_conformance read DIR   checks page.bin, written by the C# side, against DIR/manifest.txt;
 *                                prints "ok ..." or "FAIL field expected actual", exits 1 on any mismatch
 *
 * manifest.txt has one record a line: a kind, then key=value pairs (decimal, signed fields signed):
 *   page in_cons= in_prod= out_cons= out_prod=      the shared page's indices
 *   in idx= type= <fields of that type>             an in event as it stands in its slot
 *   out idx= type= fill=                            an out event: its type, every other byte is fill
 *   do <step> ...                                   the steps that produced the page (write only)
 *
 * Build: cc -O1 -Wall -Werror kbdif_conformance.c -o kbdif_conformance
 */
#define _GNU_SOURCE
#include <inttypes.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conformance_manifest.h"

/* kbdif's fields are signed or fit int64: printed as signed when they differ. */
#define check_signed(what, expected, actual) check(what, expected, (uint64_t)(int64_t)(actual), 1)

#include <xen/io/kbdif.h>
#include <linux/input-event-codes.h>

#define mb()  __sync_synchronize()
#define rmb() __sync_synchronize()
#define wmb() __sync_synchronize()

#define PAGE_SIZE 4096

/* Every field of every in event after its type: X(type, mt sub-type or -1 for any, name, member of the union).
 * Drives fill, print and check. */
#define IN_FIELDS(X)                                                                  \
    X(XENKBD_TYPE_MOTION, -1, rel_x, motion.rel_x)                                    \
    X(XENKBD_TYPE_MOTION, -1, rel_y, motion.rel_y)                                    \
    X(XENKBD_TYPE_MOTION, -1, rel_z, motion.rel_z)                                    \
    X(XENKBD_TYPE_KEY, -1, pressed, key.pressed)                                      \
    X(XENKBD_TYPE_KEY, -1, keycode, key.keycode)                                      \
    X(XENKBD_TYPE_POS, -1, abs_x, pos.abs_x)                                          \
    X(XENKBD_TYPE_POS, -1, abs_y, pos.abs_y)                                          \
    X(XENKBD_TYPE_POS, -1, rel_z, pos.rel_z)                                          \
    X(XENKBD_TYPE_MTOUCH, -1, event_type, mtouch.event_type)                          \
    X(XENKBD_TYPE_MTOUCH, -1, contact_id, mtouch.contact_id)                          \
    X(XENKBD_TYPE_MTOUCH, XENKBD_MT_EV_DOWN, abs_x, mtouch.u.pos.abs_x)               \
    X(XENKBD_TYPE_MTOUCH, XENKBD_MT_EV_DOWN, abs_y, mtouch.u.pos.abs_y)               \
    X(XENKBD_TYPE_MTOUCH, XENKBD_MT_EV_MOTION, abs_x, mtouch.u.pos.abs_x)             \
    X(XENKBD_TYPE_MTOUCH, XENKBD_MT_EV_MOTION, abs_y, mtouch.u.pos.abs_y)             \
    X(XENKBD_TYPE_MTOUCH, XENKBD_MT_EV_SHAPE, major, mtouch.u.shape.major)            \
    X(XENKBD_TYPE_MTOUCH, XENKBD_MT_EV_SHAPE, minor, mtouch.u.shape.minor)            \
    X(XENKBD_TYPE_MTOUCH, XENKBD_MT_EV_ORIENT, orientation, mtouch.u.orientation)

/* The Linux codes XenDisplayWeb defines (Shared/Kbdif/LinuxInput.cs): every one is printed, and the C# side
 * checks that it names exactly these. */
#define LINUX_CODES(X)                                                                                        \
    X(KEY_RESERVED) X(KEY_ESC) X(KEY_1) X(KEY_2) X(KEY_3) X(KEY_4) X(KEY_5) X(KEY_6) X(KEY_7) X(KEY_8)        \
    X(KEY_9) X(KEY_0) X(KEY_MINUS) X(KEY_EQUAL) X(KEY_BACKSPACE) X(KEY_TAB) X(KEY_Q) X(KEY_W) X(KEY_E)        \
    X(KEY_R) X(KEY_T) X(KEY_Y) X(KEY_U) X(KEY_I) X(KEY_O) X(KEY_P) X(KEY_LEFTBRACE) X(KEY_RIGHTBRACE)         \
    X(KEY_ENTER) X(KEY_LEFTCTRL) X(KEY_A) X(KEY_S) X(KEY_D) X(KEY_F) X(KEY_G) X(KEY_H) X(KEY_J) X(KEY_K)      \
    X(KEY_L) X(KEY_SEMICOLON) X(KEY_APOSTROPHE) X(KEY_GRAVE) X(KEY_LEFTSHIFT) X(KEY_BACKSLASH) X(KEY_Z)       \
    X(KEY_X) X(KEY_C) X(KEY_V) X(KEY_B) X(KEY_N) X(KEY_M) X(KEY_COMMA) X(KEY_DOT) X(KEY_SLASH)                \
    X(KEY_RIGHTSHIFT) X(KEY_KPASTERISK) X(KEY_LEFTALT) X(KEY_SPACE) X(KEY_CAPSLOCK) X(KEY_F1) X(KEY_F2)       \
    X(KEY_F3) X(KEY_F4) X(KEY_F5) X(KEY_F6) X(KEY_F7) X(KEY_F8) X(KEY_F9) X(KEY_F10) X(KEY_NUMLOCK)           \
    X(KEY_SCROLLLOCK) X(KEY_KP7) X(KEY_KP8) X(KEY_KP9) X(KEY_KPMINUS) X(KEY_KP4) X(KEY_KP5) X(KEY_KP6)        \
    X(KEY_KPPLUS) X(KEY_KP1) X(KEY_KP2) X(KEY_KP3) X(KEY_KP0) X(KEY_KPDOT) X(KEY_102ND) X(KEY_F11)            \
    X(KEY_F12) X(KEY_KPENTER) X(KEY_RIGHTCTRL) X(KEY_KPSLASH) X(KEY_SYSRQ) X(KEY_RIGHTALT) X(KEY_HOME)        \
    X(KEY_UP) X(KEY_PAGEUP) X(KEY_LEFT) X(KEY_RIGHT) X(KEY_END) X(KEY_DOWN) X(KEY_PAGEDOWN) X(KEY_INSERT)     \
    X(KEY_DELETE) X(KEY_PAUSE) X(KEY_LEFTMETA) X(KEY_RIGHTMETA) X(KEY_COMPOSE) X(KEY_MAX)                     \
    X(BTN_LEFT) X(BTN_RIGHT) X(BTN_MIDDLE) X(BTN_SIDE) X(BTN_EXTRA) X(BTN_TOUCH)

static int applies(const union xenkbd_in_event *e, int type, int sub)
{
    return e->type == type && (sub < 0 || e->mtouch.event_type == sub);
}

/* ---------------------------------------------------------------- layout */

#define FIELD(key, type, member)                                                        \
    printf("%s.offset=%zu\n%s.size=%zu\n", key, offsetof(type, member), key,            \
           sizeof(((type *)0)->member))
#define SIZEOF(key, type) printf("%s.sizeof=%zu\n", key, sizeof(type))
#define NUM(name) printf("%s=%lld\n", #name, (long long)(name))
#define STR(name) printf("%s=%s\n", #name, name)

static int cmd_layout(void)
{
    static unsigned char page[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
    static const uint32_t idxs[] = { 0, 1, 24, 25, 26, 50, 51, 52, 100, 0xfffffffeu, 0xffffffffu };

    SIZEOF("motion", struct xenkbd_motion);
    FIELD("motion.type", struct xenkbd_motion, type);
    FIELD("motion.rel_x", struct xenkbd_motion, rel_x);
    FIELD("motion.rel_y", struct xenkbd_motion, rel_y);
    FIELD("motion.rel_z", struct xenkbd_motion, rel_z);

    SIZEOF("key", struct xenkbd_key);
    FIELD("key.type", struct xenkbd_key, type);
    FIELD("key.pressed", struct xenkbd_key, pressed);
    FIELD("key.keycode", struct xenkbd_key, keycode);

    SIZEOF("position", struct xenkbd_position);
    FIELD("position.type", struct xenkbd_position, type);
    FIELD("position.abs_x", struct xenkbd_position, abs_x);
    FIELD("position.abs_y", struct xenkbd_position, abs_y);
    FIELD("position.rel_z", struct xenkbd_position, rel_z);

    SIZEOF("mtouch", struct xenkbd_mtouch);
    FIELD("mtouch.type", struct xenkbd_mtouch, type);
    FIELD("mtouch.event_type", struct xenkbd_mtouch, event_type);
    FIELD("mtouch.contact_id", struct xenkbd_mtouch, contact_id);
    FIELD("mtouch.reserved", struct xenkbd_mtouch, reserved);
    FIELD("mtouch.u", struct xenkbd_mtouch, u);
    FIELD("mtouch.u.pos.abs_x", struct xenkbd_mtouch, u.pos.abs_x);
    FIELD("mtouch.u.pos.abs_y", struct xenkbd_mtouch, u.pos.abs_y);
    FIELD("mtouch.u.shape.major", struct xenkbd_mtouch, u.shape.major);
    FIELD("mtouch.u.shape.minor", struct xenkbd_mtouch, u.shape.minor);
    FIELD("mtouch.u.orientation", struct xenkbd_mtouch, u.orientation);

    SIZEOF("in_event", union xenkbd_in_event);
    FIELD("in_event.type", union xenkbd_in_event, type);
    FIELD("in_event.motion", union xenkbd_in_event, motion);
    FIELD("in_event.key", union xenkbd_in_event, key);
    FIELD("in_event.pos", union xenkbd_in_event, pos);
    FIELD("in_event.mtouch", union xenkbd_in_event, mtouch);
    SIZEOF("out_event", union xenkbd_out_event);
    FIELD("out_event.type", union xenkbd_out_event, type);

    SIZEOF("page", struct xenkbd_page);
    FIELD("page.in_cons", struct xenkbd_page, in_cons);
    FIELD("page.in_prod", struct xenkbd_page, in_prod);
    FIELD("page.out_cons", struct xenkbd_page, out_cons);
    FIELD("page.out_prod", struct xenkbd_page, out_prod);

    NUM(XENKBD_IN_EVENT_SIZE);
    NUM(XENKBD_OUT_EVENT_SIZE);
    NUM(XENKBD_IN_RING_SIZE);
    NUM(XENKBD_IN_RING_LEN);
    NUM(XENKBD_IN_RING_OFFS);
    NUM(XENKBD_OUT_RING_SIZE);
    NUM(XENKBD_OUT_RING_LEN);
    NUM(XENKBD_OUT_RING_OFFS);
    for (size_t i = 0; i < sizeof idxs / sizeof idxs[0]; i++) {
        printf("XENKBD_IN_RING_REF.%" PRIu32 ".offset=%td\n", idxs[i],
               (char *)&XENKBD_IN_RING_REF(page, idxs[i]) - (char *)page);
        printf("XENKBD_OUT_RING_REF.%" PRIu32 ".offset=%td\n", idxs[i],
               (char *)&XENKBD_OUT_RING_REF(page, idxs[i]) - (char *)page);
    }

    NUM(XENKBD_TYPE_MOTION);
    NUM(XENKBD_TYPE_RESERVED);
    NUM(XENKBD_TYPE_KEY);
    NUM(XENKBD_TYPE_POS);
    NUM(XENKBD_TYPE_MTOUCH);
    NUM(XENKBD_MT_EV_DOWN);
    NUM(XENKBD_MT_EV_UP);
    NUM(XENKBD_MT_EV_MOTION);
    NUM(XENKBD_MT_EV_SYN);
    NUM(XENKBD_MT_EV_SHAPE);
    NUM(XENKBD_MT_EV_ORIENT);

    STR(XENKBD_DRIVER_NAME);
    STR(XENKBD_FIELD_FEAT_DSBL_KEYBRD);
    STR(XENKBD_FIELD_FEAT_DSBL_POINTER);
    STR(XENKBD_FIELD_FEAT_ABS_POINTER);
    STR(XENKBD_FIELD_FEAT_RAW_POINTER);
    STR(XENKBD_FIELD_FEAT_MTOUCH);
    STR(XENKBD_FIELD_REQ_ABS_POINTER);
    STR(XENKBD_FIELD_REQ_RAW_POINTER);
    STR(XENKBD_FIELD_REQ_MTOUCH);
    STR(XENKBD_FIELD_RING_GREF);
    STR(XENKBD_FIELD_EVT_CHANNEL);
    STR(XENKBD_FIELD_WIDTH);
    STR(XENKBD_FIELD_HEIGHT);
    STR(XENKBD_FIELD_MT_WIDTH);
    STR(XENKBD_FIELD_MT_HEIGHT);
    STR(XENKBD_FIELD_MT_NUM_CONTACTS);
    STR(XENKBD_FIELD_UNIQUE_ID);
    STR(XENKBD_FIELD_RING_REF);

#define X(name) printf("%s=%lld\n", #name, (long long)(name)); /* not NUM: its # would see the expanded code */
    LINUX_CODES(X)
#undef X
    return 0;
}

/* ---------------------------------------------------------------- events as text */

static void print_in(FILE *m, const char *kind, uint32_t idx, const union xenkbd_in_event *e)
{
    fprintf(m, "%s idx=%" PRIu32 " type=%u", kind, idx, e->type);
#define X(t, sub, name, member) \
    if (applies(e, t, sub)) fprintf(m, " " #name "=%" PRId64, (int64_t)e->member);
    IN_FIELDS(X)
#undef X
    fputc('\n', m);
}

static void print_out(FILE *m, const char *kind, uint32_t idx, const union xenkbd_out_event *e)
{
    fprintf(m, "%s idx=%" PRIu32 " type=%u fill=%u\n", kind, idx, e->type, (unsigned char)e->pad[1]);
}

/* ---------------------------------------------------------------- write */

/* Distinct, full-width values (each field keeps its low bits, signed fields go negative too). */
static uint64_t value(uint32_t seed, unsigned k)
{
    return 0x9e3779b97f4a7c15ull * (seed * 16u + k + 1u);
}

static const uint8_t mt_order[] = {
    XENKBD_MT_EV_DOWN, XENKBD_MT_EV_SHAPE, XENKBD_MT_EV_ORIENT, XENKBD_MT_EV_MOTION, XENKBD_MT_EV_SYN, XENKBD_MT_EV_UP,
};
static const uint32_t keycodes[] = { KEY_A, KEY_LEFTSHIFT, BTN_LEFT, KEY_KPENTER, BTN_TOUCH, KEY_MAX };

/* Event n of the scenario: the types in turn, the touch sub-types in turn, every field from value(). */
static void make_in(union xenkbd_in_event *e, uint32_t n)
{
    static const uint8_t types[] = { XENKBD_TYPE_MOTION, XENKBD_TYPE_KEY, XENKBD_TYPE_POS, XENKBD_TYPE_MTOUCH };
    unsigned k = 0;
    memset(e, 0, sizeof *e);
    e->type = types[n % 4];
    if (e->type == XENKBD_TYPE_MTOUCH) e->mtouch.event_type = mt_order[(n / 4) % 6];
#define X(t, sub, name, member) \
    if (applies(e, t, sub) && !(t == XENKBD_TYPE_MTOUCH && sub < 0)) e->member = value(n, k++);
    IN_FIELDS(X)
#undef X
    /* What the fields mean, where a value would be out of their range. */
    if (e->type == XENKBD_TYPE_KEY) {
        e->key.pressed = n % 3 != 0;
        e->key.keycode = keycodes[n % 6];
    } else if (e->type == XENKBD_TYPE_MTOUCH) {
        e->mtouch.event_type = mt_order[(n / 4) % 6];
        e->mtouch.contact_id = n % 10;
        if (e->mtouch.event_type == XENKBD_MT_EV_ORIENT) e->mtouch.u.orientation = (int16_t)((int)(n * 37 % 361) - 180);
    }
}

/* As QEMU's xenfb backend sends one: a full ring drops the event. */
static void in_put(FILE *m, struct xenkbd_page *page, const union xenkbd_in_event *e)
{
    uint32_t prod = page->in_prod;
    if (prod - page->in_cons == XENKBD_IN_RING_LEN) {
        print_in(m, "do in.full", prod, e);
        return;
    }
    mb(); /* the consumer's index before the slot */
    XENKBD_IN_RING_REF(page, prod) = *e;
    wmb(); /* the event before the index */
    page->in_prod = prod + 1;
    print_in(m, "do in.put", prod, e);
}

/* As Linux's xen-kbdfront consumes: copy each event out, then hand the slots back. */
static void in_consume(FILE *m, struct xenkbd_page *page, uint32_t to)
{
    uint32_t prod = page->in_prod, cons;
    union xenkbd_in_event copy;
    rmb();
    for (cons = page->in_cons; cons != to && cons != prod; cons++)
        copy = XENKBD_IN_RING_REF(page, cons);
    (void)copy;
    mb();
    page->in_cons = cons;
    fprintf(m, "do in.consume in_cons=%" PRIu32 "\n", cons);
}

static void out_put(FILE *m, struct xenkbd_page *page, uint32_t n)
{
    uint32_t prod = page->out_prod;
    union xenkbd_out_event *e = &XENKBD_OUT_RING_REF(page, prod);
    memset(e->pad, (int)(0x40 + n % 0xb0), sizeof e->pad);
    e->type = (uint8_t)(0x80 + n); /* no out event is defined: any type will do */
    wmb();
    page->out_prod = prod + 1;
    print_out(m, "do out.put", prod, e);
}

static void out_consume(FILE *m, struct xenkbd_page *page, uint32_t to)
{
    mb();
    page->out_cons = to;
    fprintf(m, "do out.consume out_cons=%" PRIu32 "\n", to);
}

static void write_page(FILE *m, unsigned char *raw)
{
    struct xenkbd_page *page = (struct xenkbd_page *)raw;
    union xenkbd_in_event e;
    uint32_t n = 0;

    /* Start 16 short of the u32 wrap: the indices wrap, as the slots (idx % 51) jump there too. */
    page->in_cons = 0xfffffff0u;
    page->in_prod = page->in_cons; /* the backend's attach */
    fprintf(m, "do in.attach in_cons=%" PRIu32 "\n", page->in_cons);
    /* 60 events, the frontend keeping up two behind. Where the index wraps the slots jump too: 2^32 % 51 = 1,
     * so idx 0xffffffff and idx 0 share slot 0, and an event still pending there would be overwritten. The
     * frontend has caught up when the index wraps. */
    for (; n < 60; n++) {
        make_in(&e, n);
        in_put(m, page, &e);
        if (page->in_prod == 0) in_consume(m, page, 0);
        else if (n % 7 == 6) in_consume(m, page, page->in_prod - 2);
    }
    /* The frontend stalls: the ring fills and the backend drops. */
    for (; n < 120; n++) {
        make_in(&e, n);
        in_put(m, page, &e);
    }
    in_consume(m, page, page->in_prod - 30);
    for (; n < 150; n++) {
        make_in(&e, n);
        in_put(m, page, &e);
        if (n % 5 == 4) in_consume(m, page, page->in_prod - 8);
    }

    fprintf(m, "do out.attach\n");
    for (uint32_t i = 0; i < 60; i++) {
        out_put(m, page, i);
        if (i % 9 == 8) out_consume(m, page, page->out_prod - 3);
    }

    fprintf(m, "page in_cons=%" PRIu32 " in_prod=%" PRIu32 " out_cons=%" PRIu32 " out_prod=%" PRIu32 "\n",
            page->in_cons, page->in_prod, page->out_cons, page->out_prod);
    for (uint32_t idx = page->in_prod - XENKBD_IN_RING_LEN; idx != page->in_prod; idx++)
        print_in(m, "in", idx, &XENKBD_IN_RING_REF(page, idx));
    for (uint32_t idx = page->out_prod - XENKBD_OUT_RING_LEN; idx != page->out_prod; idx++)
        print_out(m, "out", idx, &XENKBD_OUT_RING_REF(page, idx));
}

static int cmd_write(const char *dir)
{
    static unsigned char page[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
    FILE *m = open_in(dir, "manifest.txt", "w");
    if (!m) return 2;
    write_page(m, page);
    if (fclose(m) != 0) return 2;
    return write_file(dir, "page.bin", page, sizeof page) ? 2 : 0;
}

/* ---------------------------------------------------------------- read */

static int in_field(const union xenkbd_in_event *e, const char *key, int64_t *out)
{
#define X(t, sub, name, member) \
    if (applies(e, t, sub) && !strcmp(key, #name)) { *out = (int64_t)e->member; return 1; }
    IN_FIELDS(X)
#undef X
    return 0;
}

static int in_field_count(const union xenkbd_in_event *e)
{
    int n = 0;
#define X(t, sub, name, member) n += applies(e, t, sub);
    IN_FIELDS(X)
#undef X
    return n;
}

/* The record's idx, if that event is still in its slot: one of the last ring-length before prod. */
static int slot_idx(const struct record *rec, const char *kind, uint32_t prod, uint32_t len, uint32_t *idx)
{
    const char *text = get(rec, "idx");
    if (!text) { fail(kind, "idx="); return 0; }
    *idx = (uint32_t)strtoul(text, NULL, 10);
    uint32_t behind = prod - *idx;
    if (behind == 0 || behind > len) {
        printf("FAIL %s[%" PRIu32 "].idx expected one of the last %" PRIu32 " before %" PRIu32 " actual %" PRIu32 "\n",
               kind, *idx, len, prod, *idx);
        fails++;
        return 0;
    }
    return 1;
}

static void check_in(const struct record *rec, struct xenkbd_page *page)
{
    uint32_t idx;
    char what[128];
    if (!slot_idx(rec, "in", page->in_prod, XENKBD_IN_RING_LEN, &idx)) return;
    union xenkbd_in_event e = XENKBD_IN_RING_REF(page, idx);
    int matched = 0;
    for (int i = 0; i < rec->n; i++) {
        const char *k = rec->key[i];
        int64_t actual;
        snprintf(what, sizeof what, "in[%" PRIu32 "].%s", idx, k);
        if (!strcmp(k, "idx")) continue;
        if (!strcmp(k, "type")) check_signed(what, rec->val[i], e.type);
        else if (in_field(&e, k, &actual)) { check_signed(what, rec->val[i], actual); matched++; }
        else { printf("FAIL %s expected a field of type %u actual (no such field)\n", what, e.type); fails++; }
    }
    if (matched != in_field_count(&e)) {
        snprintf(what, sizeof what, "in[%" PRIu32 "].fields", idx);
        printf("FAIL %s expected %d actual %d\n", what, in_field_count(&e), matched);
        fails++;
    }
    /* The header: reserved fields must be 0. What no field of this type covers is reserved. */
    union xenkbd_in_event only;
    memset(&only, 0, sizeof only);
    only.type = e.type;
    if (e.type == XENKBD_TYPE_MTOUCH) only.mtouch.event_type = e.mtouch.event_type;
#define X(t, sub, name, member) \
    if (applies(&e, t, sub)) only.member = e.member;
    IN_FIELDS(X)
#undef X
    snprintf(what, sizeof what, "in[%" PRIu32 "].reserved", idx);
    check_signed(what, "0", memcmp(&only, &e, sizeof e) != 0);
}

static void check_out(const struct record *rec, struct xenkbd_page *page)
{
    uint32_t idx;
    char what[128];
    const char *type = get(rec, "type"), *fill = get(rec, "fill");
    if (!type || !fill) { fail("out", "type= and fill="); return; }
    if (!slot_idx(rec, "out", page->out_prod, XENKBD_OUT_RING_LEN, &idx)) return;
    const union xenkbd_out_event *e = &XENKBD_OUT_RING_REF(page, idx);
    snprintf(what, sizeof what, "out[%" PRIu32 "].type", idx);
    check_signed(what, type, e->type);
    size_t same = 1;
    while (same < sizeof e->pad && (unsigned char)e->pad[same] == strtoul(fill, NULL, 10)) same++;
    snprintf(what, sizeof what, "out[%" PRIu32 "].fill_bytes", idx);
    check_signed(what, "40", (int64_t)same);
}

static int cmd_read(const char *dir)
{
    static unsigned char raw[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
    struct xenkbd_page *page = (struct xenkbd_page *)raw;
    int have_page = 0, n_in = 0, n_out = 0;

    FILE *f = open_in(dir, "page.bin", "rb");
    size_t got = f ? fread(raw, 1, sizeof raw, f) : 0;
    if (f) fclose(f);
    if (got != PAGE_SIZE) {
        printf("FAIL files expected page.bin of %d bytes actual %zu\n", PAGE_SIZE, got);
        return 1;
    }
    FILE *m = open_in(dir, "manifest.txt", "r");
    if (!m) return 1;
    char *line = NULL;
    size_t cap = 0;
    struct record rec;
    while (getline(&line, &cap, m) > 0) {
        if (!parse(line, &rec)) continue;
        if (!strcmp(rec.kind, "page")) {
            const char *v;
            have_page = 1;
            if ((v = get(&rec, "in_cons"))) check_signed("page.in_cons", v, page->in_cons); else fail("page.in_cons", "in_cons=");
            if ((v = get(&rec, "in_prod"))) check_signed("page.in_prod", v, page->in_prod); else fail("page.in_prod", "in_prod=");
            if ((v = get(&rec, "out_cons"))) check_signed("page.out_cons", v, page->out_cons); else fail("page.out_cons", "out_cons=");
            if ((v = get(&rec, "out_prod"))) check_signed("page.out_prod", v, page->out_prod); else fail("page.out_prod", "out_prod=");
        } else if (!strcmp(rec.kind, "in")) {
            n_in++;
            check_in(&rec, page);
        } else if (!strcmp(rec.kind, "out")) {
            n_out++;
            check_out(&rec, page);
        }
    }
    free(line);
    fclose(m);
    if (!have_page) fail("page", "a page record");
    /* Every slot of both rings is in the manifest. */
    char want[32];
    snprintf(want, sizeof want, "%d", (int)XENKBD_IN_RING_LEN);
    check_signed("in.records", want, n_in);
    snprintf(want, sizeof want, "%d", (int)XENKBD_OUT_RING_LEN);
    check_signed("out.records", want, n_out);
    printf("%d ok, %d failed\n", oks, fails);
    return fails ? 1 : 0;
}

int main(int argc, char **argv)
{
    if (argc == 2 && !strcmp(argv[1], "layout")) return cmd_layout();
    if (argc == 3 && !strcmp(argv[1], "write")) return cmd_write(argv[2]);
    if (argc == 3 && !strcmp(argv[1], "read")) return cmd_read(argv[2]);
    fprintf(stderr, "usage: %s layout | write DIR | read DIR\n", argv[0]);
    return 2;
}

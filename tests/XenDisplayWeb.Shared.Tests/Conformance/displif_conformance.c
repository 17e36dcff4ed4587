/* Conformance of XenDisplayWeb's displif encoding with the real Xen headers (io/displif.h, io/ring.h).
 *
 *   displif_conformance layout     sizes, offsets and constants as name=value lines
 *   displif_conformance write DIR  ring.bin, events.bin, pgdir.bin and manifest.txt, made with the real macros
 *   displif_conformance read DIR   checks the same files, written by the C# side, against DIR/manifest.txt;
 *                                  prints "ok ..." or "FAIL field expected actual", exits 1 on any mismatch
 *
 * manifest.txt has one record a line: a kind, then key=value pairs (decimal; grefs comma separated):
 *   ring req_prod= req_event= rsp_prod= rsp_event=      the shared ring header
 *   req idx= id= op= <fields of that op>                a request as it stands in its slot
 *   rsp idx= id= op= status= [edid_sz=]                 a response as it stands in its slot
 *   events in_cons= in_prod=                            the event page header
 *   evt idx= id= type= fb_cookie=                       an event as it stands in its slot
 *   pgdir page= next= grefs=a,b,...                     one page of a page directory
 *   pgdir_info buffer_sz= grefs= pages=                 the whole directory
 *   do <step> ...                                       the steps that produced the files (write only)
 *
 * Build: cc -O1 -Wall -Werror displif_conformance.c -o displif_conformance
 */
#define _GNU_SOURCE
#include <inttypes.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conformance_manifest.h"

/* ring.h leaves the barriers to the includer. */
#define mb()  __sync_synchronize()
#define rmb() __sync_synchronize()
#define wmb() __sync_synchronize()
typedef uint32_t grant_ref_t;
#include <xen/io/displif.h>
#include <xen/io/xenbus.h>
#include <xen/errno.h>

#define PAGE_SIZE 4096
#define GREFS_PER_DIR_PAGE \
    ((PAGE_SIZE - offsetof(struct xendispl_page_directory, gref)) / sizeof(grant_ref_t))

/* Every field of every request: X(opcode, union member, field). Drives layout, fill, print and check. */
#define REQ_FIELDS(X)                                         \
    X(XENDISPL_OP_DBUF_CREATE, dbuf_create, dbuf_cookie)      \
    X(XENDISPL_OP_DBUF_CREATE, dbuf_create, width)            \
    X(XENDISPL_OP_DBUF_CREATE, dbuf_create, height)           \
    X(XENDISPL_OP_DBUF_CREATE, dbuf_create, bpp)              \
    X(XENDISPL_OP_DBUF_CREATE, dbuf_create, buffer_sz)        \
    X(XENDISPL_OP_DBUF_CREATE, dbuf_create, flags)            \
    X(XENDISPL_OP_DBUF_CREATE, dbuf_create, gref_directory)   \
    X(XENDISPL_OP_DBUF_CREATE, dbuf_create, data_ofs)         \
    X(XENDISPL_OP_DBUF_DESTROY, dbuf_destroy, dbuf_cookie)    \
    X(XENDISPL_OP_FB_ATTACH, fb_attach, dbuf_cookie)          \
    X(XENDISPL_OP_FB_ATTACH, fb_attach, fb_cookie)            \
    X(XENDISPL_OP_FB_ATTACH, fb_attach, width)                \
    X(XENDISPL_OP_FB_ATTACH, fb_attach, height)               \
    X(XENDISPL_OP_FB_ATTACH, fb_attach, pixel_format)         \
    X(XENDISPL_OP_FB_DETACH, fb_detach, fb_cookie)            \
    X(XENDISPL_OP_SET_CONFIG, set_config, fb_cookie)          \
    X(XENDISPL_OP_SET_CONFIG, set_config, x)                  \
    X(XENDISPL_OP_SET_CONFIG, set_config, y)                  \
    X(XENDISPL_OP_SET_CONFIG, set_config, width)              \
    X(XENDISPL_OP_SET_CONFIG, set_config, height)             \
    X(XENDISPL_OP_SET_CONFIG, set_config, bpp)                \
    X(XENDISPL_OP_PG_FLIP, pg_flip, fb_cookie)                \
    X(XENDISPL_OP_GET_EDID, get_edid, buffer_sz)              \
    X(XENDISPL_OP_GET_EDID, get_edid, gref_directory)

static const uint8_t all_ops[] = {
    XENDISPL_OP_DBUF_CREATE, XENDISPL_OP_DBUF_DESTROY, XENDISPL_OP_FB_ATTACH, XENDISPL_OP_FB_DETACH,
    XENDISPL_OP_SET_CONFIG, XENDISPL_OP_PG_FLIP, XENDISPL_OP_GET_EDID,
};

/* ---------------------------------------------------------------- layout */

#define FIELD(key, type, member)                                                        \
    printf("%s.offset=%zu\n%s.size=%zu\n", key, offsetof(type, member), key,            \
           sizeof(((type *)0)->member))
#define SIZEOF(key, type) printf("%s.sizeof=%zu\n", key, sizeof(type))
#define NUM(name) printf("%s=%lld\n", #name, (long long)(name))
#define STR(name) printf("%s=%s\n", #name, name)

static void layout_member(const char *member, size_t offset, size_t size)
{
    printf("req.%s.offset=%zu\nreq.%s.sizeof=%zu\n", member, offset, member, size);
}

static int cmd_layout(void)
{
    static unsigned char page[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
    struct xen_displif_sring *s = (struct xen_displif_sring *)page;
    struct xen_displif_front_ring front;
    static const uint32_t idxs[] = { 0, 1, 31, 32, 33, 62, 63, 64, 70, 0xffffffffu };

    SIZEOF("req", struct xendispl_req);
    FIELD("req.id", struct xendispl_req, id);
    FIELD("req.operation", struct xendispl_req, operation);
    FIELD("req.reserved", struct xendispl_req, reserved);
    FIELD("req.op", struct xendispl_req, op);
#define X(opc, m, f) FIELD("req." #m "." #f, struct xendispl_req, op.m.f);
    REQ_FIELDS(X)
#undef X
    layout_member("dbuf_create", offsetof(struct xendispl_req, op.dbuf_create), sizeof(struct xendispl_dbuf_create_req));
    layout_member("dbuf_destroy", offsetof(struct xendispl_req, op.dbuf_destroy), sizeof(struct xendispl_dbuf_destroy_req));
    layout_member("fb_attach", offsetof(struct xendispl_req, op.fb_attach), sizeof(struct xendispl_fb_attach_req));
    layout_member("fb_detach", offsetof(struct xendispl_req, op.fb_detach), sizeof(struct xendispl_fb_detach_req));
    layout_member("set_config", offsetof(struct xendispl_req, op.set_config), sizeof(struct xendispl_set_config_req));
    layout_member("pg_flip", offsetof(struct xendispl_req, op.pg_flip), sizeof(struct xendispl_page_flip_req));
    layout_member("get_edid", offsetof(struct xendispl_req, op.get_edid), sizeof(struct xendispl_get_edid_req));

    SIZEOF("resp", struct xendispl_resp);
    FIELD("resp.id", struct xendispl_resp, id);
    FIELD("resp.operation", struct xendispl_resp, operation);
    FIELD("resp.reserved", struct xendispl_resp, reserved);
    FIELD("resp.status", struct xendispl_resp, status);
    FIELD("resp.op", struct xendispl_resp, op);
    FIELD("resp.get_edid.edid_sz", struct xendispl_resp, op.get_edid.edid_sz);
    SIZEOF("resp.get_edid", struct xendispl_get_edid_resp);

    SIZEOF("evt", struct xendispl_evt);
    FIELD("evt.id", struct xendispl_evt, id);
    FIELD("evt.type", struct xendispl_evt, type);
    FIELD("evt.reserved", struct xendispl_evt, reserved);
    FIELD("evt.op", struct xendispl_evt, op);
    FIELD("evt.pg_flip.fb_cookie", struct xendispl_evt, op.pg_flip.fb_cookie);
    SIZEOF("evt.pg_flip", struct xendispl_pg_flip_evt);

    SIZEOF("event_page", struct xendispl_event_page);
    FIELD("event_page.in_cons", struct xendispl_event_page, in_cons);
    FIELD("event_page.in_prod", struct xendispl_event_page, in_prod);
    NUM(XENDISPL_EVENT_PAGE_SIZE);
    NUM(XENDISPL_IN_RING_OFFS);
    NUM(XENDISPL_IN_RING_SIZE);
    NUM(XENDISPL_IN_RING_LEN);
    for (size_t i = 0; i < sizeof idxs / sizeof idxs[0]; i++)
        printf("XENDISPL_IN_RING_REF.%" PRIu32 ".offset=%td\n", idxs[i],
               (char *)&XENDISPL_IN_RING_REF(page, idxs[i]) - (char *)page);

    SIZEOF("RING_IDX", RING_IDX);
    FIELD("sring.req_prod", struct xen_displif_sring, req_prod);
    FIELD("sring.req_event", struct xen_displif_sring, req_event);
    FIELD("sring.rsp_prod", struct xen_displif_sring, rsp_prod);
    FIELD("sring.rsp_event", struct xen_displif_sring, rsp_event);
    FIELD("sring.ring", struct xen_displif_sring, ring);
    SIZEOF("sring.entry", union xen_displif_sring_entry);
    SHARED_RING_INIT(s);
    FRONT_RING_INIT(&front, s, PAGE_SIZE);
    printf("RING_SIZE=%u\n", RING_SIZE(&front));
    printf("__CONST_RING_SIZE=%zu\n", (size_t)__CONST_RING_SIZE(xen_displif, PAGE_SIZE));
    printf("SHARED_RING_INIT.req_prod=%u\nSHARED_RING_INIT.req_event=%u\n", s->req_prod, s->req_event);
    printf("SHARED_RING_INIT.rsp_prod=%u\nSHARED_RING_INIT.rsp_event=%u\n", s->rsp_prod, s->rsp_event);
    for (size_t i = 0; i < sizeof idxs / sizeof idxs[0]; i++)
        printf("RING_GET_REQUEST.%" PRIu32 ".offset=%td\n", idxs[i],
               (char *)RING_GET_REQUEST(&front, idxs[i]) - (char *)page);

    SIZEOF("grant_ref_t", grant_ref_t);
    FIELD("page_directory.gref_dir_next_page", struct xendispl_page_directory, gref_dir_next_page);
    printf("page_directory.gref.offset=%zu\n", offsetof(struct xendispl_page_directory, gref));
    printf("page_directory.grefs_per_page=%zu\n", GREFS_PER_DIR_PAGE);

    NUM(XENDISPL_OP_DBUF_CREATE);
    NUM(XENDISPL_OP_DBUF_DESTROY);
    NUM(XENDISPL_OP_FB_ATTACH);
    NUM(XENDISPL_OP_FB_DETACH);
    NUM(XENDISPL_OP_SET_CONFIG);
    NUM(XENDISPL_OP_PG_FLIP);
    NUM(XENDISPL_OP_GET_EDID);
    NUM(XENDISPL_EVT_PG_FLIP);
    NUM(XENDISPL_DBUF_FLG_REQ_ALLOC);
    NUM(XENDISPL_EDID_BLOCK_SIZE);
    NUM(XENDISPL_EDID_BLOCK_COUNT);
    NUM(XENDISPL_EDID_MAX_SIZE);
    STR(XENDISPL_PROTOCOL_VERSION);
    NUM(XENDISPL_PROTOCOL_VERSION_INT);
    STR(XENDISPL_DRIVER_NAME);
    STR(XENDISPL_LIST_SEPARATOR);
    STR(XENDISPL_RESOLUTION_SEPARATOR);
    STR(XENDISPL_FIELD_BE_VERSIONS);
    STR(XENDISPL_FIELD_FE_VERSION);
    STR(XENDISPL_FIELD_REQ_RING_REF);
    STR(XENDISPL_FIELD_REQ_CHANNEL);
    STR(XENDISPL_FIELD_EVT_RING_REF);
    STR(XENDISPL_FIELD_EVT_CHANNEL);
    STR(XENDISPL_FIELD_RESOLUTION);
    STR(XENDISPL_FIELD_BE_ALLOC);
    STR(XENDISPL_FIELD_UNIQUE_ID);

    NUM(XEN_EPERM);
    NUM(XEN_ENOENT);
    NUM(XEN_EIO);
    NUM(XEN_E2BIG);
    NUM(XEN_EAGAIN);
    NUM(XEN_ENOMEM);
    NUM(XEN_EACCES);
    NUM(XEN_EFAULT);
    NUM(XEN_EBUSY);
    NUM(XEN_EEXIST);
    NUM(XEN_ENODEV);
    NUM(XEN_EINVAL);
    NUM(XEN_ENOSPC);
    NUM(XEN_EOPNOTSUPP);
    NUM(XEN_ETIMEDOUT);

    NUM(XenbusStateUnknown);
    NUM(XenbusStateInitialising);
    NUM(XenbusStateInitWait);
    NUM(XenbusStateInitialised);
    NUM(XenbusStateConnected);
    NUM(XenbusStateClosing);
    NUM(XenbusStateClosed);
    NUM(XenbusStateReconfiguring);
    NUM(XenbusStateReconfigured);
    return 0;
}

/* ---------------------------------------------------------------- packets as text */

static void print_req(FILE *m, const char *kind, RING_IDX idx, const struct xendispl_req *r)
{
    fprintf(m, "%s idx=%u id=%u op=%u", kind, idx, r->id, r->operation);
#define X(opc, mem, f) \
    if (r->operation == (opc)) fprintf(m, " " #f "=%" PRIu64, (uint64_t)r->op.mem.f);
    REQ_FIELDS(X)
#undef X
    fputc('\n', m);
}

static void print_rsp(FILE *m, const char *kind, RING_IDX idx, const struct xendispl_resp *r)
{
    fprintf(m, "%s idx=%u id=%u op=%u status=%" PRId32, kind, idx, r->id, r->operation, r->status);
    if (r->operation == XENDISPL_OP_GET_EDID)
        fprintf(m, " edid_sz=%" PRIu32, r->op.get_edid.edid_sz);
    fputc('\n', m);
}

static void print_evt(FILE *m, const char *kind, uint32_t idx, const struct xendispl_evt *e)
{
    fprintf(m, "%s idx=%" PRIu32 " id=%u type=%u fb_cookie=%" PRIu64 "\n", kind, idx, e->id, e->type,
            (uint64_t)e->op.pg_flip.fb_cookie);
}

/* ---------------------------------------------------------------- write */

/* Distinct, full-width values (u32 fields keep the low half), so swapped or truncated fields show. */
static uint64_t value(uint32_t seed, unsigned k)
{
    return 0x9e3779b97f4a7c15ull * (seed * 16u + k + 1u);
}

/* Like Linux's be_prepare_req: id, operation and this op's fields only. Whatever else the slot held
 * (an earlier response) stays. */
static void fill_req(struct xendispl_req *r, uint16_t id, uint8_t op, uint32_t seed)
{
    unsigned k = 0;
    r->id = id;
    r->operation = op;
#define X(opc, mem, f) \
    if (op == (opc)) r->op.mem.f = value(seed, k++);
    REQ_FIELDS(X)
#undef X
}

static void front_request(FILE *m, struct xen_displif_front_ring *front, uint8_t op, uint32_t seed)
{
    struct xendispl_req *r = RING_GET_REQUEST(front, front->req_prod_pvt);
    fill_req(r, (uint16_t)(0xff00u + front->req_prod_pvt), op, seed);
    print_req(m, "do front.request", front->req_prod_pvt, r);
    front->req_prod_pvt++;
}

static void front_push(FILE *m, struct xen_displif_front_ring *front)
{
    int notify;
    RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(front, notify);
    fprintf(m, "do front.push notify=%d\n", notify);
}

static void front_final_check(FILE *m, struct xen_displif_front_ring *front)
{
    int more;
    RING_FINAL_CHECK_FOR_RESPONSES(front, more);
    fprintf(m, "do front.final_check more=%d\n", more);
}

static void front_consume(FILE *m, struct xen_displif_front_ring *front)
{
    struct xendispl_resp rsp;
    RING_COPY_RESPONSE(front, front->rsp_cons, &rsp);
    fprintf(m, "do front.consume idx=%u\n", front->rsp_cons);
    front->rsp_cons++;
}

static void back_final_check(FILE *m, struct xen_displif_back_ring *back)
{
    int more;
    RING_FINAL_CHECK_FOR_REQUESTS(back, more);
    fprintf(m, "do back.final_check more=%d\n", more);
}

static void back_consume(FILE *m, struct xen_displif_back_ring *back, struct xendispl_req *req)
{
    RING_COPY_REQUEST(back, back->req_cons, req);
    fprintf(m, "do back.consume idx=%u\n", back->req_cons);
    back->req_cons++;
}

static void back_respond(FILE *m, struct xen_displif_back_ring *back, const struct xendispl_req *req, unsigned n)
{
    static const int32_t statuses[] = { 0, -XEN_EINVAL, 0, -XEN_ENOMEM, -XEN_EBUSY, 0, -XEN_EOPNOTSUPP };
    struct xendispl_resp *rsp = RING_GET_RESPONSE(back, back->rsp_prod_pvt);
    memset(rsp, 0, sizeof *rsp);
    rsp->id = req->id;
    rsp->operation = req->operation;
    rsp->status = statuses[n % (sizeof statuses / sizeof statuses[0])];
    if (req->operation == XENDISPL_OP_GET_EDID)
        rsp->op.get_edid.edid_sz = XENDISPL_EDID_BLOCK_SIZE * (1 + n % 4);
    print_rsp(m, "do back.respond", back->rsp_prod_pvt, rsp);
    back->rsp_prod_pvt++;
}

static void back_push(FILE *m, struct xen_displif_back_ring *back)
{
    int notify;
    RING_PUSH_RESPONSES_AND_CHECK_NOTIFY(back, notify);
    fprintf(m, "do back.push notify=%d\n", notify);
}

static void write_ring(FILE *m, unsigned char *page)
{
    struct xen_displif_sring *s = (struct xen_displif_sring *)page;
    struct xen_displif_front_ring front;
    struct xen_displif_back_ring back;
    struct xendispl_req req;
    uint32_t seed = 1;
    unsigned n = 0;

    SHARED_RING_INIT(s);
    FRONT_RING_INIT(&front, s, PAGE_SIZE);
    BACK_RING_INIT(&back, s, PAGE_SIZE);
    fprintf(m, "do ring.init\n");

    /* 40 round trips, one request in flight like Linux: the indices pass 32, every slot is reused. */
    for (unsigned i = 0; i < 40; i++) {
        front_request(m, &front, all_ops[i % 7], seed++);
        front_push(m, &front);
        back_final_check(m, &back);
        back_consume(m, &back, &req);
        back_respond(m, &back, &req, n++);
        back_push(m, &back);
        back_final_check(m, &back);
        front_final_check(m, &front);
        front_consume(m, &front);
        front_final_check(m, &front);
    }
    /* Three requests in one push, answered in one push and left unconsumed by the frontend. */
    front_request(m, &front, XENDISPL_OP_GET_EDID, seed++);
    front_request(m, &front, XENDISPL_OP_DBUF_CREATE, seed++);
    front_request(m, &front, XENDISPL_OP_FB_ATTACH, seed++);
    front_push(m, &front);
    back_final_check(m, &back);
    for (int k = 0; k < 3; k++) {
        back_consume(m, &back, &req);
        back_respond(m, &back, &req, n++);
    }
    back_push(m, &back);
    back_final_check(m, &back);
    /* One of each op, a push each: only the first passes req_event, so only it notifies. */
    for (unsigned i = 0; i < 7; i++) {
        front_request(m, &front, all_ops[i], seed++);
        front_push(m, &front);
    }
    /* The backend copies two of them but has not answered yet: that is private to it. */
    back_consume(m, &back, &req);
    back_consume(m, &back, &req);

    fprintf(m, "ring req_prod=%u req_event=%u rsp_prod=%u rsp_event=%u\n",
            s->req_prod, s->req_event, s->rsp_prod, s->rsp_event);
    for (RING_IDX idx = s->req_prod - RING_SIZE(&front); idx != s->req_prod; idx++) {
        if ((RING_IDX)(idx - s->rsp_prod) >= (RING_IDX)(s->req_prod - s->rsp_prod))
            print_rsp(m, "rsp", idx, RING_GET_RESPONSE(&front, idx));
        else
            print_req(m, "req", idx, RING_GET_REQUEST(&front, idx));
    }
}

static void evt_put(FILE *m, struct xendispl_event_page *page, uint16_t id, uint64_t fb_cookie)
{
    uint32_t prod = page->in_prod;
    struct xendispl_evt *e = &XENDISPL_IN_RING_REF(page, prod);
    memset(e, 0, sizeof *e);
    e->id = id;
    e->type = XENDISPL_EVT_PG_FLIP;
    e->op.pg_flip.fb_cookie = fb_cookie;
    wmb(); /* the event before the index */
    page->in_prod = prod + 1;
    print_evt(m, "do evt.put", prod, e);
}

static void write_events(FILE *m, unsigned char *raw)
{
    struct xendispl_event_page *page = (struct xendispl_event_page *)raw;

    page->in_prod = page->in_cons; /* the backend's attach */
    fprintf(m, "do events.attach\n");
    /* 70 events through the 63 slots; the frontend keeps up, a few behind. */
    for (uint32_t i = 0; i < 70; i++) {
        evt_put(m, page, (uint16_t)i, value(1000 + i, 0));
        if (i % 8 == 7) {
            page->in_cons = page->in_prod - 3;
            fprintf(m, "do evt.consume in_cons=%" PRIu32 "\n", page->in_cons);
        }
    }
    page->in_cons = 65;
    fprintf(m, "do evt.consume in_cons=%" PRIu32 "\n", page->in_cons);

    fprintf(m, "events in_cons=%" PRIu32 " in_prod=%" PRIu32 "\n", page->in_cons, page->in_prod);
    for (uint32_t idx = page->in_prod - XENDISPL_IN_RING_LEN; idx != page->in_prod; idx++)
        print_evt(m, "evt", idx, &XENDISPL_IN_RING_REF(page, idx));
}

/* A 1920x1080, 32 bpp buffer: 2025 data grefs in a chain of two directory pages. */
static size_t write_pgdir(FILE *m, unsigned char *pages)
{
    const uint32_t buffer_sz = 1920 * 1080 * 4;
    const size_t count = (buffer_sz + PAGE_SIZE - 1) / PAGE_SIZE;
    const size_t npages = (count + GREFS_PER_DIR_PAGE - 1) / GREFS_PER_DIR_PAGE;
    size_t g = 0;

    for (size_t p = 0; p < npages; p++) {
        struct xendispl_page_directory *dir = (struct xendispl_page_directory *)(pages + p * PAGE_SIZE);
        dir->gref_dir_next_page = p + 1 < npages ? (grant_ref_t)(0x2a0000u + p + 1) : 0;
        fprintf(m, "pgdir page=%zu next=%" PRIu32 " grefs=", p, dir->gref_dir_next_page);
        for (size_t j = 0; j < GREFS_PER_DIR_PAGE && g < count; j++, g++) {
            dir->gref[j] = (grant_ref_t)(0x00f00000u + 3 * g);
            fprintf(m, j ? ",%" PRIu32 : "%" PRIu32, dir->gref[j]);
        }
        fputc('\n', m);
    }
    fprintf(m, "pgdir_info buffer_sz=%" PRIu32 " grefs=%zu pages=%zu\n", buffer_sz, count, npages);
    return npages;
}

static int cmd_write(const char *dir)
{
    static unsigned char ring[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
    static unsigned char events[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
    static unsigned char pgdir[4 * PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
    FILE *m = open_in(dir, "manifest.txt", "w");
    if (!m) return 2;

    write_ring(m, ring);
    write_events(m, events);
    size_t npages = write_pgdir(m, pgdir);
    if (fclose(m) != 0
        || write_file(dir, "ring.bin", ring, sizeof ring)
        || write_file(dir, "events.bin", events, sizeof events)
        || write_file(dir, "pgdir.bin", pgdir, npages * PAGE_SIZE))
        return 2;
    return 0;
}

/* ---------------------------------------------------------------- read */

static int req_field(const struct xendispl_req *r, const char *key, uint64_t *out)
{
#define X(opc, mem, f) \
    if (r->operation == (opc) && !strcmp(key, #f)) { *out = r->op.mem.f; return 1; }
    REQ_FIELDS(X)
#undef X
    return 0;
}

static int req_field_count(uint8_t op)
{
    int n = 0;
#define X(opc, mem, f) n += op == (opc);
    REQ_FIELDS(X)
#undef X
    return n;
}

static void check_req(const struct record *rec, struct xen_displif_back_ring *back)
{
    const char *idx_text = get(rec, "idx");
    char what[128];
    if (!idx_text) { fail("req", "idx="); return; }
    RING_IDX idx = (RING_IDX)strtoul(idx_text, NULL, 10);
    if ((RING_IDX)(idx - back->req_cons) >= (RING_IDX)(back->sring->req_prod - back->req_cons)) {
        snprintf(what, sizeof what, "req[%u].idx", idx);
        printf("FAIL %s expected an unconsumed request in [%u, %u) actual %u\n", what, back->req_cons,
               back->sring->req_prod, idx);
        fails++;
        return;
    }
    struct xendispl_req req;
    RING_COPY_REQUEST(back, idx, &req);
    int matched = 0;
    for (int i = 0; i < rec->n; i++) {
        const char *k = rec->key[i];
        uint64_t actual;
        snprintf(what, sizeof what, "req[%u].%s", idx, k);
        if (!strcmp(k, "idx")) continue;
        if (!strcmp(k, "id")) check(what, rec->val[i], req.id, 0);
        else if (!strcmp(k, "op")) check(what, rec->val[i], req.operation, 0);
        else if (req_field(&req, k, &actual)) { check(what, rec->val[i], actual, 0); matched++; }
        else { printf("FAIL %s expected a field of op %u actual (no such field)\n", what, req.operation); fails++; }
    }
    if (matched != req_field_count(req.operation)) {
        snprintf(what, sizeof what, "req[%u].fields", idx);
        printf("FAIL %s expected %d actual %d\n", what, req_field_count(req.operation), matched);
        fails++;
    }
}

static void check_rsp(const struct record *rec, struct xen_displif_front_ring *front)
{
    const char *idx_text = get(rec, "idx");
    char what[128];
    if (!idx_text) { fail("rsp", "idx="); return; }
    RING_IDX idx = (RING_IDX)strtoul(idx_text, NULL, 10);
    RING_IDX behind = front->sring->rsp_prod - idx; /* a response still in its slot: 1..RING_SIZE behind rsp_prod */
    if (behind == 0 || behind > RING_SIZE(front)) {
        printf("FAIL rsp[%u].idx expected one of the last %u responses before %u actual %u\n", idx,
               RING_SIZE(front), front->sring->rsp_prod, idx);
        fails++;
        return;
    }
    struct xendispl_resp rsp;
    RING_COPY_RESPONSE(front, idx, &rsp);
    for (int i = 0; i < rec->n; i++) {
        const char *k = rec->key[i];
        snprintf(what, sizeof what, "rsp[%u].%s", idx, k);
        if (!strcmp(k, "idx")) continue;
        if (!strcmp(k, "id")) check(what, rec->val[i], rsp.id, 0);
        else if (!strcmp(k, "op")) check(what, rec->val[i], rsp.operation, 0);
        else if (!strcmp(k, "status")) check(what, rec->val[i], (uint64_t)(int64_t)rsp.status, 1);
        else if (!strcmp(k, "edid_sz")) check(what, rec->val[i], rsp.op.get_edid.edid_sz, 0);
        else { printf("FAIL %s expected a response field actual (no such field)\n", what); fails++; }
    }
}

static void check_evt(const struct record *rec, struct xendispl_event_page *page)
{
    const char *idx_text = get(rec, "idx");
    char what[128];
    if (!idx_text) { fail("evt", "idx="); return; }
    uint32_t idx = (uint32_t)strtoul(idx_text, NULL, 10);
    uint32_t behind = page->in_prod - idx;
    if (behind == 0 || behind > XENDISPL_IN_RING_LEN) {
        printf("FAIL evt[%" PRIu32 "].idx expected one of the last %zu events before %" PRIu32 " actual %" PRIu32 "\n",
               idx, XENDISPL_IN_RING_LEN, page->in_prod, idx);
        fails++;
        return;
    }
    const struct xendispl_evt *e = &XENDISPL_IN_RING_REF(page, idx);
    for (int i = 0; i < rec->n; i++) {
        const char *k = rec->key[i];
        snprintf(what, sizeof what, "evt[%" PRIu32 "].%s", idx, k);
        if (!strcmp(k, "idx")) continue;
        if (!strcmp(k, "id")) check(what, rec->val[i], e->id, 0);
        else if (!strcmp(k, "type")) check(what, rec->val[i], e->type, 0);
        else if (!strcmp(k, "fb_cookie")) check(what, rec->val[i], e->op.pg_flip.fb_cookie, 0);
        else { printf("FAIL %s expected an event field actual (no such field)\n", what); fails++; }
    }
}

static size_t check_pgdir(const struct record *rec, unsigned char *pages, size_t npages)
{
    char *page_text = get(rec, "page"), *next = get(rec, "next"), *grefs = get(rec, "grefs");
    char what[128];
    if (!page_text || !next || !grefs) { fail("pgdir", "page=, next= and grefs="); return 0; }
    size_t p = strtoul(page_text, NULL, 10);
    if (p >= npages) {
        printf("FAIL pgdir[%zu] expected a page of pgdir.bin actual %zu pages\n", p, npages);
        fails++;
        return 0;
    }
    const struct xendispl_page_directory *dir = (const struct xendispl_page_directory *)(pages + p * PAGE_SIZE);
    snprintf(what, sizeof what, "pgdir[%zu].gref_dir_next_page", p);
    check(what, next, dir->gref_dir_next_page, 0);

    /* One line for a whole page of matching grefs, one per mismatch. */
    size_t j = 0;
    int bad = 0;
    for (char *save, *g = strtok_r(grefs, ",", &save); g; g = strtok_r(NULL, ",", &save), j++) {
        uint64_t want = strtoull(g, NULL, 10);
        if (j >= GREFS_PER_DIR_PAGE) {
            printf("FAIL pgdir[%zu].gref[%zu] expected at most %zu grefs a page actual more\n", p, j, GREFS_PER_DIR_PAGE);
            fails++;
            return j;
        }
        if (dir->gref[j] != want) {
            printf("FAIL pgdir[%zu].gref[%zu] expected %" PRIu64 " actual %" PRIu32 "\n", p, j, want, dir->gref[j]);
            fails++;
            bad = 1;
        }
    }
    if (!bad) {
        printf("ok pgdir[%zu].gref[0..%zu]\n", p, j);
        oks++;
    }
    return j;
}

static long read_file(const char *dir, const char *name, unsigned char *buf, size_t size)
{
    FILE *f = open_in(dir, name, "rb");
    if (!f) return -1;
    size_t n = fread(buf, 1, size, f);
    fclose(f);
    return (long)n;
}

static int cmd_read(const char *dir)
{
    static unsigned char ring[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
    static unsigned char events[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
    static unsigned char pgdir[16 * PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
    struct xen_displif_sring *s = (struct xen_displif_sring *)ring;
    struct xendispl_event_page *page = (struct xendispl_event_page *)events;
    struct xen_displif_front_ring front;
    struct xen_displif_back_ring back;
    int have_ring = 0, have_events = 0, have_pgdir = 0, have_info = 0, n_req = 0;
    size_t total_grefs = 0;
    uint64_t info_buffer_sz = 0;
    char info_grefs[32] = "", info_pages[32] = "";

    if (read_file(dir, "ring.bin", ring, sizeof ring) != PAGE_SIZE
        || read_file(dir, "events.bin", events, sizeof events) != PAGE_SIZE) {
        printf("FAIL files expected ring.bin and events.bin of %d bytes actual (unreadable)\n", PAGE_SIZE);
        return 1;
    }
    long pgdir_size = read_file(dir, "pgdir.bin", pgdir, sizeof pgdir);
    if (pgdir_size <= 0 || pgdir_size % PAGE_SIZE) {
        printf("FAIL files expected pgdir.bin of whole pages actual %ld bytes\n", pgdir_size);
        return 1;
    }
    size_t npages = (size_t)pgdir_size / PAGE_SIZE;

    /* Attach as a backend starting over would: everything after rsp_prod is unconsumed. */
    FRONT_RING_ATTACH(&front, s, s->rsp_prod, PAGE_SIZE);
    BACK_RING_ATTACH(&back, s, s->rsp_prod, PAGE_SIZE);

    FILE *m = open_in(dir, "manifest.txt", "r");
    if (!m) return 1;
    char *line = NULL;
    size_t cap = 0;
    struct record rec;
    while (getline(&line, &cap, m) > 0) {
        if (!parse(line, &rec)) continue;
        if (!strcmp(rec.kind, "ring")) {
            const char *v;
            have_ring = 1;
            if ((v = get(&rec, "req_prod"))) check("ring.req_prod", v, s->req_prod, 0); else fail("ring.req_prod", "req_prod=");
            if ((v = get(&rec, "req_event"))) check("ring.req_event", v, s->req_event, 0); else fail("ring.req_event", "req_event=");
            if ((v = get(&rec, "rsp_prod"))) check("ring.rsp_prod", v, s->rsp_prod, 0); else fail("ring.rsp_prod", "rsp_prod=");
            if ((v = get(&rec, "rsp_event"))) check("ring.rsp_event", v, s->rsp_event, 0); else fail("ring.rsp_event", "rsp_event=");
            check("RING_REQUEST_PROD_OVERFLOW", "0", RING_REQUEST_PROD_OVERFLOW(&back, s->req_prod), 0);
        } else if (!strcmp(rec.kind, "req")) {
            n_req++;
            check_req(&rec, &back);
        } else if (!strcmp(rec.kind, "rsp")) {
            check_rsp(&rec, &front);
        } else if (!strcmp(rec.kind, "events")) {
            const char *v;
            have_events = 1;
            if ((v = get(&rec, "in_cons"))) check("events.in_cons", v, page->in_cons, 0); else fail("events.in_cons", "in_cons=");
            if ((v = get(&rec, "in_prod"))) check("events.in_prod", v, page->in_prod, 0); else fail("events.in_prod", "in_prod=");
        } else if (!strcmp(rec.kind, "evt")) {
            check_evt(&rec, page);
        } else if (!strcmp(rec.kind, "pgdir")) {
            have_pgdir = 1;
            total_grefs += check_pgdir(&rec, pgdir, npages);
        } else if (!strcmp(rec.kind, "pgdir_info")) {
            have_info = 1;
            info_buffer_sz = get(&rec, "buffer_sz") ? strtoull(get(&rec, "buffer_sz"), NULL, 10) : 0;
            snprintf(info_grefs, sizeof info_grefs, "%s", get(&rec, "grefs") ? get(&rec, "grefs") : "");
            snprintf(info_pages, sizeof info_pages, "%s", get(&rec, "pages") ? get(&rec, "pages") : "");
        }
    }
    free(line);
    fclose(m);

    /* The number of data grefs is not on the wire: it follows from buffer_sz. */
    if (have_info) {
        check("pgdir.grefs", info_grefs, total_grefs, 0);
        check("pgdir.grefs(buffer_sz)", info_grefs, (info_buffer_sz + PAGE_SIZE - 1) / PAGE_SIZE, 0);
        check("pgdir.pages", info_pages, npages, 0);
    } else {
        fail("pgdir_info", "a pgdir_info record");
    }
    /* Every unconsumed request is in the manifest. */
    char want[32];
    snprintf(want, sizeof want, "%d", n_req);
    check("RING_HAS_UNCONSUMED_REQUESTS", want, RING_HAS_UNCONSUMED_REQUESTS(&back), 0);
    /* The chain ends on the last page. */
    const struct xendispl_page_directory *last =
        (const struct xendispl_page_directory *)(pgdir + (npages - 1) * PAGE_SIZE);
    check("pgdir.last.gref_dir_next_page", "0", last->gref_dir_next_page, 0);
    if (!have_ring) fail("ring", "a ring record");
    if (!have_events) fail("events", "an events record");
    if (!have_pgdir) fail("pgdir", "pgdir records");
    printf("%d ok, %d failed, %zu grefs\n", oks, fails, total_grefs);
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

/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The helper prototype table against real programs: every helper a shared
 * corpus program calls has a complete row (argument kinds, return kind),
 * and the program types that may call a helper follow the kernel's
 * per-type lists for the types the table describes. Lookups in maps of
 * maps, with and without the inner map's template.
 */
#include "asm_test.h"
#include "dirlist.h"
#include "verify.h"

#include <check.h>
#include <dirent.h>
#include <linux/bpf.h>
#include <stdio.h>
#include <sys/stat.h>

#define CORPUS SHARED_DIR "/corpus"

static int quiet(enum df_print_level level, const char *fmt, va_list ap)
{
	(void)level;
	(void)fmt;
	(void)ap;
	return 0;
}

struct walk {
	unsigned objs, calls, types_known;
	char missing[512];	/* the first calls without a complete row */
};

static void check_prog(const struct df_prog *prog, const char *path, struct walk *w)
{
	for (uint32_t pc = 0; pc < prog->insn_cnt; pc += df_insn_slots(&prog->insns[pc])) {
		const struct df_insn *in = &prog->insns[pc];
		const struct df_helper *h;
		size_t n = strlen(w->missing);

		if (in->code != (DF_JMP | DF_CALL) || in->src_reg != DF_PSEUDO_HELPER)
			continue;
		w->calls++;
		h = df_helper_by_id(in->imm);
		if (h && df_helper_proto_complete(df_helper_proto(in->imm), h->nargs)) {
			if (df_helper_allowed(df_helper_proto(in->imm), prog->type) != -ENOENT)
				w->types_known++;
			continue;
		}
		if (n + 1 < sizeof(w->missing))
			snprintf(w->missing + n, sizeof(w->missing) - n,
				 "%.80s:%.40s pc %u helper %d; ", path + strlen(CORPUS) + 1,
				 prog->name, pc, in->imm);
	}
}

static void walk_file(const char *path, void *cookie)
{
	struct walk *w = cookie;
	struct df_object *obj = NULL;

	if (df_object_open(path, NULL, &obj))
		return;
	for (uint32_t i = 0; i < obj->prog_cnt; i++)
		if (!obj->progs[i].err)
			check_prog(&obj->progs[i], path, w);
	df_object_free(obj);
	w->objs++;
}

START_TEST(corpus_calls_have_prototypes)
{
	struct walk w = { 0 };
	df_print_fn old = df_set_print(quiet);

	ck_assert_int_eq(dirlist_walk(CORPUS, walk_file, &w), 0);
	df_set_print(old);
	printf("corpus: %u objects, %u helper calls, %u from a type the table describes\n",
	       w.objs, w.calls, w.types_known);
	ck_assert_msg(w.objs >= 100 && w.calls >= 1000, "only %u objects, %u calls", w.objs,
		      w.calls);
	ck_assert_msg(!w.missing[0], "calls without a complete prototype: %s", w.missing);
	/* most calls come from program types the availability lists cover */
	ck_assert_msg(w.types_known * 10 >= w.calls * 9, "%u of %u calls", w.types_known,
		      w.calls);
}
END_TEST

START_TEST(helper_program_types)
{
	static const struct {
		int32_t id;
		uint32_t type;
		int allowed;
	} c[] = {
		{ 1, BPF_PROG_TYPE_SOCKET_FILTER, 1 },		/* map_lookup_elem: all */
		{ 1, BPF_PROG_TYPE_KPROBE, 1 },
		{ 4, BPF_PROG_TYPE_KPROBE, 1 },			/* probe_read: tracing */
		{ 4, BPF_PROG_TYPE_RAW_TRACEPOINT, 1 },
		{ 4, BPF_PROG_TYPE_SCHED_CLS, 0 },
		{ 9, BPF_PROG_TYPE_SCHED_ACT, 1 },		/* skb_store_bytes */
		{ 9, BPF_PROG_TYPE_SOCKET_FILTER, 0 },
		{ 9, BPF_PROG_TYPE_XDP, 0 },
		{ 26, BPF_PROG_TYPE_SOCKET_FILTER, 1 },		/* skb_load_bytes */
		{ 26, BPF_PROG_TYPE_CGROUP_SKB, 1 },
		{ 26, BPF_PROG_TYPE_KPROBE, 0 },
		{ 44, BPF_PROG_TYPE_XDP, 1 },			/* xdp_adjust_head */
		{ 44, BPF_PROG_TYPE_SCHED_CLS, 0 },
		{ 49, BPF_PROG_TYPE_SOCK_OPS, 1 },		/* setsockopt */
		{ 49, BPF_PROG_TYPE_CGROUP_SOCK, 0 },
		{ 27, BPF_PROG_TYPE_TRACEPOINT, 1 },		/* get_stackid */
		{ 27, BPF_PROG_TYPE_XDP, 0 },
		{ 58, BPF_PROG_TYPE_KPROBE, -EOPNOTSUPP },	/* override_return */
		{ 36, BPF_PROG_TYPE_KPROBE, -EOPNOTSUPP },	/* probe_write_user */
		{ 1, BPF_PROG_TYPE_UNSPEC, -ENOENT },		/* no facts for these */
		{ 4, BPF_PROG_TYPE_TRACING, -ENOENT },
	};

	for (size_t i = 0; i < DF_ARRAY_SIZE(c); i++)
		ck_assert_msg(df_helper_allowed(df_helper_proto(c[i].id), c[i].type) ==
			      c[i].allowed, "helper %d, type %u", c[i].id, c[i].type);
	ck_assert_int_eq(df_helper_allowed(NULL, BPF_PROG_TYPE_XDP), -ENOENT);
}
END_TEST

/* ---------------------------------------------------------------- maps of maps */

#define OUTER_PROG(name, body) \
	".map inner hash key=4 value=8 max=4\n" \
	".map outer array_of_maps key=4 value=4 max=1\n" \
	".prog " name " \"socket\"\n" \
	"\t*(u32 *)(r10 -4) = 0\n\tr2 = r10\n\tr2 += -4\n" \
	"\tr1 = map[outer]\n\tcall bpf_map_lookup_elem#1\n" body

/* Verify the first program of text; the outer map (index 1) gets inner's template. */
static struct df_verify_result *verify_outer(const char *text, bool template)
{
	struct df_object *obj;
	struct df_verify_result *r = NULL;

	asm_test_setup();
	obj = asm_test_assemble(text, "outer.s");
	ck_assert_ptr_nonnull(obj);
	ck_assert_uint_eq(obj->map_cnt, 2);
	if (template) {
		obj->maps[1].inner = calloc(1, sizeof(*obj->maps[1].inner));
		ck_assert_ptr_nonnull(obj->maps[1].inner);
		*obj->maps[1].inner = obj->maps[0];
		obj->maps[1].inner->name = NULL;
		obj->maps[1].inner->section = NULL;
	}
	ck_assert_int_eq(df_verify(&obj->progs[0], NULL, &r), 0);
	df_object_free(obj);
	asm_test_teardown();
	return r;
}

static void outer_expect(const char *text, bool template, enum df_verdict v, long pc,
			 const char *msg)
{
	struct df_verify_result *r = verify_outer(text, template);

	ck_assert_msg(r->verdict == v && r->err_pc == pc && strstr(r->msg, msg),
		      "verdict %s pc %ld '%s', expected %s pc %ld '%s'",
		      df_verdict_name(r->verdict), r->err_pc, r->msg, df_verdict_name(v), pc,
		      msg);
	df_verify_result_free(r);
}

START_TEST(map_in_map)
{
	/* the lookup gives the inner map or NULL; its values are value_size bytes */
	static const char ok[] = OUTER_PROG("ok",
		"\tif r0 == 0x0 goto out\n\tr1 = r0\n\tr2 = r10\n\tr2 += -4\n"
		"\tcall bpf_map_lookup_elem#1\n\tif r0 == 0x0 goto out\n"
		"\tr0 = *(u64 *)(r0 +0)\nout:\tr0 = 0\n\texit\n");
	static const char past[] = OUTER_PROG("past",
		"\tif r0 == 0x0 goto out\n\tr1 = r0\n\tr2 = r10\n\tr2 += -4\n"
		"\tcall bpf_map_lookup_elem#1\n\tif r0 == 0x0 goto out\n"
		"\tr0 = *(u64 *)(r0 +4)\nout:\tr0 = 0\n\texit\n");
	static const char unchecked[] = OUTER_PROG("unchecked",
		"\tr1 = r0\n\tr2 = r10\n\tr2 += -4\n"
		"\tcall bpf_map_lookup_elem#1\n\tr0 = 0\n\texit\n");

	outer_expect(ok, true, DF_VERDICT_ACCEPT, -1, "");
	outer_expect(past, true, DF_VERDICT_REJECT, 12,
		     "invalid access to map value, value_size=8 off=4 size=8");
	outer_expect(unchecked, true, DF_VERDICT_REJECT, 9,
		     "R1 type=map_ptr_or_null expected=map_ptr");
	/* without the template (legacy definitions) nothing can be checked */
	outer_expect(ok, false, DF_VERDICT_UNSUPPORTED, 5,
		     "unsupported: map-in-map lookup without the inner map's definition");
}
END_TEST

/* An object whose BTF gives the inner map: the template is read from "values". */
START_TEST(map_in_map_btf)
{
	struct df_object *obj;
	const struct df_map *outer = NULL;

	if (df_object_open(CORPUS "/build/map_in_map.o", NULL, &obj))
		ck_abort_msg("cannot open map_in_map.o");
	for (uint32_t i = 0; i < obj->map_cnt; i++)
		if (!strcmp(obj->maps[i].name, "array_of_maps"))
			outer = &obj->maps[i];
	ck_assert_ptr_nonnull(outer);
	ck_assert_ptr_nonnull(outer->inner);
	ck_assert_uint_eq(outer->inner->type, BPF_MAP_TYPE_ARRAY);
	ck_assert_uint_eq(outer->inner->key_size, 4);
	ck_assert_uint_eq(outer->inner->value_size, 4);
	df_object_free(obj);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("vf_helpers");
	TCase *tc = tcase_create("protos");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, corpus_calls_have_prototypes);
	tcase_add_test(tc, helper_program_types);
	tcase_add_test(tc, map_in_map);
	tcase_add_test(tc, map_in_map_btf);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}

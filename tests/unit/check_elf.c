/* SPDX-License-Identifier: BSD-2-Clause */
/* ELF and raw loaders: the shared corpus, a compiled object with every relocation kind, raw bytecode. */
#include "internal.h"

#include <bpf/btf.h>
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <sys/stat.h>
#include <time.h>

#define CORPUS SHARED_DIR "/corpus"
#define LINK_OBJ BUILDDIR "/tests/elf/link.bpf.o"

static char msgs[16384];

static int capture(enum df_print_level level, const char *fmt, va_list ap)
{
	size_t n = strlen(msgs);

	if (level == DF_WARN && n < sizeof(msgs) - 1)
		vsnprintf(msgs + n, sizeof(msgs) - n, fmt, ap);
	return 0;
}

static void quiet(void)
{
	msgs[0] = 0;
	df_set_print(capture);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Regular files of CORPUS/sub..., sorted; fails when the corpus is absent. */
static char **list_dir(const char *dir, int *cnt)
{
	char **v = NULL;
	struct dirent *de;
	DIR *d = opendir(dir);
	int n = 0;

	ck_assert_msg(d, "cannot open %s: the shared corpus must be next to the repository", dir);
	while ((de = readdir(d))) {
		char path[4096];
		struct stat st;

		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (stat(path, &st) || !S_ISREG(st.st_mode) || strstr(de->d_name, ".md"))
			continue;
		v = realloc(v, (n + 1) * sizeof(*v));
		v[n++] = strdup(path);
	}
	closedir(d);
	qsort(v, n, sizeof(*v), cmp_str);
	*cnt = n;
	return v;
}

static void free_list(char **v, int n)
{
	while (n--)
		free(v[n]);
	free(v);
}

/*
 * Programs readelf sees: one per global FUNC symbol of an executable
 * section, or one for a section without any; .text counts only when no
 * other executable section has code.
 */
static int readelf_prog_count(const char *path)
{
	char cmd[4200], line[1024];
	int exec_idx[512], nexec = 0, text_idx = -1, others = 0, total = 0;
	int funcs[512] = { 0 };
	FILE *f;
	int i;

	snprintf(cmd, sizeof(cmd), "readelf -SW '%s' 2>/dev/null", path);
	f = popen(cmd, "r");
	ck_assert_msg(f, "readelf is needed to cross-check the loader");
	while (fgets(line, sizeof(line), f)) {
		char *tok[16], *p = strchr(line, ']'), *save;
		int nt = 0, idx;

		if (!p || sscanf(strchr(line, '[') + 1, "%d", &idx) != 1)
			continue;
		for (p = strtok_r(p + 1, " \t\n", &save); p && nt < 16;
		     p = strtok_r(NULL, " \t\n", &save))
			tok[nt++] = p;
		/* name type addr off size es [flags] lk inf al */
		if (nt < 9 || strcmp(tok[1], "PROGBITS") || nt != 10 ||
		    !strchr(tok[6], 'X') || !strtoul(tok[4], NULL, 16))
			continue;
		if (!strcmp(tok[0], ".text"))
			text_idx = idx;
		else
			others++;
		if (nexec < 512)
			exec_idx[nexec++] = idx;
	}
	ck_assert_int_eq(pclose(f), 0);
	snprintf(cmd, sizeof(cmd), "readelf -sW '%s' 2>/dev/null", path);
	f = popen(cmd, "r");
	ck_assert_ptr_nonnull(f);
	while (fgets(line, sizeof(line), f)) {
		char type[32], bind[32], vis[32], ndx[32];
		unsigned long long val, size;
		int num;

		if (sscanf(line, " %d: %llx %llu %31s %31s %31s %31s", &num, &val,
			   &size, type, bind, vis, ndx) != 7)
			continue;
		if (!strcmp(type, "FUNC") && (!strcmp(bind, "GLOBAL") || !strcmp(bind, "WEAK")) &&
		    atoi(ndx) > 0 && atoi(ndx) < 512)
			funcs[atoi(ndx)]++;
	}
	ck_assert_int_eq(pclose(f), 0);
	for (i = 0; i < nexec; i++) {
		if (exec_idx[i] == text_idx && others)
			continue;
		total += funcs[exec_idx[i]] ? funcs[exec_idx[i]] : 1;
	}
	return total;
}

START_TEST(corpus_opens)
{
	static const char *dirs[] = { "build", "linux", "bpf_cilium_test", "cilium",
				      "prototype-kernel", "suricata" };
	int objs = 0, progs = 0, failing = 0;
	size_t d;

	for (d = 0; d < DF_ARRAY_SIZE(dirs); d++) {
		char dir[1024];
		char **files;
		int n, i;

		snprintf(dir, sizeof(dir), CORPUS "/%s", dirs[d]);
		files = list_dir(dir, &n);
		ck_assert_int_gt(n, 0);
		for (i = 0; i < n; i++) {
			struct df_object *obj;
			uint32_t p;
			int err;

			quiet();
			err = df_object_open(files[i], NULL, &obj);
			ck_assert_msg(!err, "%s does not open: %s", files[i], msgs);
			ck_assert_int_eq(obj->prog_cnt, readelf_prog_count(files[i]));
			for (p = 0; p < obj->prog_cnt; p++) {
				const struct df_prog *pr = &obj->progs[p];

				ck_assert_ptr_nonnull(pr->name);
				ck_assert_int_eq(!!pr->err, !!pr->err_msg);
				if (pr->err) {
					failing++;
					ck_assert_msg(strstr(msgs, pr->err_msg),
						      "%s: '%s' was not reported", files[i], pr->err_msg);
					continue;
				}
				ck_assert_uint_gt(pr->insn_cnt, 0);
				ck_assert_uint_gt(pr->func_cnt, 0);
				ck_assert_uint_eq(pr->funcs[0].start, 0);
			}
			objs++;
			progs += obj->prog_cnt;
			df_object_free(obj);
		}
		free_list(files, n);
	}
	printf("corpus: %d objects, %d programs, %d failing\n", objs, progs, failing);
}
END_TEST

START_TEST(invalid_inputs)
{
	char **files;
	int n, i, rejected = 0;

	files = list_dir(CORPUS "/invalid", &n);
	ck_assert_int_gt(n, 0);
	for (i = 0; i < n; i++) {
		struct df_object *obj;
		int err;

		quiet();
		err = df_object_open(files[i], NULL, &obj);
		if (err) {
			rejected++;
			ck_assert_int_lt(err, 0);
			ck_assert_ptr_null(obj);
			/* one line, naming the file */
			ck_assert_msg(!strncmp(msgs, files[i], strlen(files[i])),
				      "%s: unclear error '%s'", files[i], msgs);
			ck_assert_ptr_eq(strchr(msgs, '\n'), msgs + strlen(msgs) - 1);
		} else {
			uint32_t p;

			for (p = 0; p < obj->prog_cnt; p++)
				ck_assert_int_eq(!!obj->progs[p].err, !!obj->progs[p].err_msg);
			df_object_free(obj);
		}
		printf("invalid/%s: %s", strrchr(files[i], '/') + 1,
		       msgs[0] ? strchr(msgs, ':') + 2 : "loads cleanly\n");
	}
	ck_assert_int_gt(rejected, n / 2);
	free_list(files, n);
}
END_TEST

#ifdef HAVE_BPF_CLANG
static struct df_object *open_link(void)
{
	struct df_object *obj;

	quiet();
	ck_assert_msg(!df_object_open(LINK_OBJ, NULL, &obj), "%s: %s", LINK_OBJ, msgs);
	return obj;
}

static const struct df_func *func_named(const struct df_prog *p, const char *name)
{
	uint32_t i;

	for (i = 0; i < p->func_cnt; i++)
		if (p->funcs[i].name && !strcmp(p->funcs[i].name, name))
			return &p->funcs[i];
	ck_abort_msg("%s has no function %s", p->name, name);
	return NULL;
}

/* Every pseudo call and function pointer lands on a function start. */
static void check_calls(const struct df_prog *p)
{
	uint32_t pc;

	for (pc = 0; pc < p->insn_cnt; pc++) {
		const struct df_insn *in = &p->insns[pc];
		bool call = in->code == (DF_JMP | DF_CALL) && in->src_reg == DF_PSEUDO_CALL;
		bool fptr = df_insn_is_ldimm64(in) && in->src_reg == DF_PSEUDO_FUNC;

		if (call || fptr) {
			const struct df_func *f = df_prog_func_at(p, pc + in->imm + 1);

			ck_assert_ptr_nonnull(f);
			ck_assert_uint_eq(f->start, pc + in->imm + 1);
		}
		if (df_insn_is_ldimm64(in))
			pc++;
	}
}

START_TEST(link_programs)
{
	struct df_object *obj = open_link();
	const struct df_prog *one, *two;

	ck_assert_uint_eq(obj->prog_cnt, 5);
	ck_assert_str_eq(obj->license, "GPL");
	one = df_object_find_prog(obj, "prog_one");
	two = df_object_find_prog(obj, "prog_two");
	ck_assert_ptr_nonnull(one);
	ck_assert_ptr_nonnull(two);
	ck_assert_str_eq(one->section, "xdp");
	ck_assert_int_eq(one->err, 0);
	ck_assert_int_eq(two->err, 0);
	/* prog_one -> middle -> leaf (pc-relative inside .text), same_sec */
	ck_assert_uint_eq(one->func_cnt, 4);
	ck_assert_str_eq(one->funcs[0].name, "prog_one");
	ck_assert_int_eq(func_named(one, "leaf")->linkage, DF_LINKAGE_STATIC);
	ck_assert_int_eq(func_named(one, "middle")->linkage, DF_LINKAGE_GLOBAL);
	ck_assert_int_eq(func_named(one, "middle")->arg_cnt, 1);
	ck_assert_uint_ne(func_named(one, "middle")->btf_id, 0);
	func_named(one, "same_sec");
	check_calls(one);
	/* prog_two -> step (callback), leaf, same_sec; not middle */
	ck_assert_uint_eq(two->func_cnt, 4);
	ck_assert_int_eq(func_named(two, "step")->arg_cnt, 2);
	func_named(two, "leaf");
	func_named(two, "same_sec");
	check_calls(two);
	ck_assert_uint_gt(one->line_cnt, 0);
	ck_assert_ptr_nonnull(strstr(one->lines[0].file, "link.c"));
	df_object_free(obj);
}
END_TEST

#endif

/* The ld_imm64 map references of p, in order, as "name" or "name+off". */
static void map_refs(const struct df_prog *p, char *out, size_t len)
{
	uint32_t i;

	out[0] = 0;
	for (i = 0; i < p->map_ref_cnt; i++) {
		const struct df_insn *in = &p->insns[p->map_refs[i].pc];
		const struct df_map *m = df_prog_map_at(p, p->map_refs[i].pc);
		size_t n = strlen(out);

		ck_assert_ptr_nonnull(m);
		ck_assert_int_eq(in->imm, (int32_t)p->map_refs[i].map);
		if (in->src_reg == DF_PSEUDO_MAP_IDX_VALUE)
			snprintf(out + n, len - n, "%s%s+%d", n ? " " : "", m->name, in[1].imm);
		else
			snprintf(out + n, len - n, "%s%s", n ? " " : "", m->name);
		ck_assert(in->src_reg == DF_PSEUDO_MAP_IDX || in->src_reg == DF_PSEUDO_MAP_IDX_VALUE);
	}
}

/* Section-symbol relocations carry the variable's offset in the ld_imm64. */
START_TEST(data_offsets)
{
	struct df_object *obj;
	char refs[512];

	quiet();
	ck_assert_int_eq(df_object_open(CORPUS "/build/global_variable.o", NULL, &obj), 0);
	map_refs(&obj->progs[0], refs, sizeof(refs));
	ck_assert_str_eq(refs, ".bss+0 .bss+4 .rodata+0 .data+0");
	df_object_free(obj);
}
END_TEST

#ifdef HAVE_BPF_CLANG
static const struct df_map *map_named(const struct df_object *obj, const char *name,
				      uint32_t *idx)
{
	uint32_t i;

	for (i = 0; i < obj->map_cnt; i++)
		if (!strcmp(obj->maps[i].name, name)) {
			*idx = i;
			return &obj->maps[i];
		}
	ck_abort_msg("no map %s", name);
	return NULL;
}

START_TEST(link_maps)
{
	struct df_object *obj = open_link();
	const struct df_map *m;
	char refs[512];
	uint32_t idx;

	m = map_named(obj, "legacy_a", &idx);
	ck_assert_int_eq(m->origin, DF_MAP_LEGACY);
	ck_assert_uint_eq(m->type, 1);
	ck_assert_uint_eq(m->key_size, 4);
	ck_assert_uint_eq(m->value_size, 8);
	ck_assert_uint_eq(m->max_entries, 16);
	ck_assert_uint_eq(m->flags, 1);
	m = map_named(obj, "btf_map", &idx);
	ck_assert_int_eq(m->origin, DF_MAP_BTF);
	ck_assert_uint_eq(m->type, 9);
	ck_assert_uint_eq(m->key_size, 8);
	ck_assert_uint_eq(m->value_size, 4);
	ck_assert_uint_eq(m->max_entries, 128);
	m = map_named(obj, ".bss", &idx);
	ck_assert_int_eq(m->origin, DF_MAP_DATA);
	ck_assert_uint_eq(m->value_size, 32);
	m = map_named(obj, ".rodata", &idx);
	ck_assert_uint_eq(m->value_size, 4);
	/* scratch[1]: the store adds 8 to the .bss address */
	map_refs(df_object_find_prog(obj, "prog_one"), refs, sizeof(refs));
	ck_assert_str_eq(refs, "legacy_a .bss+0 .data+0 .rodata+0");
	map_refs(df_object_find_prog(obj, "prog_two"), refs, sizeof(refs));
	ck_assert_str_eq(refs, "btf_map .rodata+0 .data+0");
	df_object_free(obj);
}
END_TEST

START_TEST(link_externs)
{
	struct df_object *obj = open_link();
	const struct df_prog *k = df_object_find_prog(obj, "kfunc_prog");
	const struct df_prog *v = df_object_find_prog(obj, "extern_var");
	const struct df_prog *ms = df_object_find_prog(obj, "uses_memset");
	uint32_t pc, kcalls = 0;

	ck_assert_int_eq(k->err, 0);
	ck_assert_uint_eq(k->kfunc_cnt, 2);
	for (pc = 0; pc < k->insn_cnt; pc++) {
		const struct df_kfunc *kf = df_prog_kfunc_at(k, pc);

		if (!kf)
			continue;
		kcalls++;
		ck_assert_int_eq(kf->arg_cnt, 0);
		ck_assert_int_eq(k->insns[pc].imm,
				 btf__find_by_name_kind(obj->btf, kf->name, BTF_KIND_FUNC));
	}
	ck_assert_uint_eq(kcalls, 2);
	ck_assert_int_ne(v->err, 0);
	ck_assert_str_eq(v->err_msg, "pc 0: relocation against undefined symbol 'bpf_prog_active'");
	ck_assert_int_ne(ms->err, 0);
	ck_assert_str_eq(ms->err_msg, "pc 4: unresolved call to undefined function 'memset'");
	ck_assert_ptr_nonnull(strstr(msgs, LINK_OBJ ": section 'socket': pc 4: unresolved call to undefined function 'memset'\n"));
	df_object_free(obj);
}
END_TEST
#endif

START_TEST(raw_program)
{
	struct df_insn insns[3] = {
		{ .code = DF_ALU64 | DF_MOV | DF_K, .dst_reg = 0, .imm = 1 },
		{ .code = DF_JMP | DF_JA, .off = 0 },
		{ .code = DF_JMP | DF_EXIT },
	};
	DF_OPTS(df_open_opts, opts, .kind = DF_INPUT_RAW);
	struct df_object *obj;

	quiet();
	ck_assert_int_eq(df_object_open_mem(insns, sizeof(insns), "dir/prog.bin", &opts, &obj), 0);
	ck_assert_uint_eq(obj->prog_cnt, 1);
	ck_assert_str_eq(obj->progs[0].name, "prog");
	ck_assert_uint_eq(obj->progs[0].insn_cnt, 3);
	ck_assert_int_eq(obj->progs[0].err, 0);
	df_object_free(obj);

	quiet();
	ck_assert_int_eq(df_object_open_mem(insns, 12, "odd.bin", &opts, &obj), -EINVAL);
	ck_assert_str_eq(msgs, "odd.bin: size 12 is not a multiple of 8: not raw BPF bytecode\n");
	quiet();
	ck_assert_int_eq(df_object_open_mem(insns, 0, "empty.bin", &opts, &obj), -EINVAL);
	ck_assert_str_eq(msgs, "empty.bin: empty file: no instructions\n");

	/* falls off the end: listed, failed, reported once */
	quiet();
	ck_assert_int_eq(df_object_open_mem(insns, 16, "short.bin", &opts, &obj), 0);
	ck_assert_int_ne(obj->progs[0].err, 0);
	ck_assert_ptr_nonnull(obj->progs[0].err_msg);
	ck_assert_ptr_eq(strchr(msgs, '\n'), msgs + strlen(msgs) - 1);
	ck_assert_ptr_nonnull(strstr(msgs, obj->progs[0].err_msg));
	df_object_free(obj);
}
END_TEST

START_TEST(raw_million)
{
	const uint32_t n = 1000000;
	struct df_insn *insns = calloc(n, sizeof(*insns));
	DF_OPTS(df_open_opts, opts, .kind = DF_INPUT_RAW);
	struct df_object *obj;
	struct timespec a, b;
	uint32_t i;
	double secs;

	for (i = 0; i + 1 < n; i++) {
		insns[i].code = DF_ALU64 | DF_ADD | DF_K;
		insns[i].imm = (int32_t)i;
	}
	insns[n - 1].code = DF_JMP | DF_EXIT;
	quiet();
	clock_gettime(CLOCK_MONOTONIC, &a);
	ck_assert_int_eq(df_object_open_mem(insns, (size_t)n * 8, "big.bin", &opts, &obj), 0);
	clock_gettime(CLOCK_MONOTONIC, &b);
	secs = (b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) / 1e9;
	ck_assert_uint_eq(obj->progs[0].insn_cnt, n);
	ck_assert_int_eq(obj->progs[0].err, 0);
	printf("1000000-instruction raw program: %.3f s\n", secs);
	ck_assert_msg(secs < 5.0, "loading took %.2f s", secs);
	df_object_free(obj);
	free(insns);
}
END_TEST

static const unsigned char ext_hdr[] = {
	0x9f, 0xeb, 1, 0, 24, 0, 0, 0,	/* magic, version, flags, hdr_len */
	0, 0, 0, 0, 28, 0, 0, 0,	/* func_info off, len */
	28, 0, 0, 0, 0, 0, 0, 0,	/* line_info off, len */
	8, 0, 0, 0,			/* func rec_size */
	1, 0, 0, 0, 2, 0, 0, 0,		/* sec name 1, two records */
	0, 0, 0, 0, 5, 0, 0, 0,		/* insn 0, type 5 */
	16, 0, 0, 0, 6, 0, 0, 0,	/* insn 2, type 6 */
};

START_TEST(btf_ext_bounds)
{
	unsigned char buf[sizeof(ext_hdr)];
	struct df_btf_ext *ext;
	size_t cut;

	quiet();
	ck_assert_int_eq(df_btf_ext_parse(ext_hdr, sizeof(ext_hdr), "x.o", &ext), 0);
	ck_assert_ptr_nonnull(ext);
	df_btf_ext_free(ext);
	/* every truncation is rejected with a message, never read past the end */
	for (cut = 0; cut < sizeof(ext_hdr); cut++) {
		unsigned char *p = malloc(cut ? cut : 1);

		memcpy(p, ext_hdr, cut);
		quiet();
		ck_assert_int_eq(df_btf_ext_parse(p, cut, "x.o", &ext), -EINVAL);
		ck_assert_ptr_null(ext);
		ck_assert_ptr_nonnull(strstr(msgs, "x.o: section '.BTF.ext': "));
		free(p);
	}
	memcpy(buf, ext_hdr, sizeof(buf));
	buf[32] = 0xff;		/* record count */
	quiet();
	ck_assert_int_eq(df_btf_ext_parse(buf, sizeof(buf), "x.o", &ext), -EINVAL);
	ck_assert_ptr_nonnull(strstr(msgs, "exceed"));
	memcpy(buf, ext_hdr, sizeof(buf));
	buf[44] = 0;		/* second record at insn 0: not increasing */
	quiet();
	ck_assert_int_eq(df_btf_ext_parse(buf, sizeof(buf), "x.o", &ext), -EINVAL);
	ck_assert_ptr_nonnull(strstr(msgs, "does not follow"));
	memcpy(buf, ext_hdr, sizeof(buf));
	buf[0] = 0;
	quiet();
	ck_assert_int_eq(df_btf_ext_parse(buf, sizeof(buf), "x.o", &ext), -EINVAL);
	ck_assert_ptr_nonnull(strstr(msgs, "bad magic"));
}
END_TEST

static Suite *elf_suite(void)
{
	Suite *s = suite_create("elf");
	TCase *tc = tcase_create("loader");

	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, corpus_opens);
	tcase_add_test(tc, invalid_inputs);
	tcase_add_test(tc, data_offsets);
#ifdef HAVE_BPF_CLANG
	tcase_add_test(tc, link_programs);
	tcase_add_test(tc, link_maps);
	tcase_add_test(tc, link_externs);
#else
	printf("SKIP: no clang for BPF: the compiled-object tests did not run\n");
#endif
	tcase_add_test(tc, raw_program);
	tcase_add_test(tc, raw_million);
	tcase_add_test(tc, btf_ext_bounds);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(elf_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

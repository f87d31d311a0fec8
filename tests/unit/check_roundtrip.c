/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Round trips over every program we can find:
 *  - text: df_prog_dump (with directives) then df_asm must give back the
 *    same instructions byte for byte, the same functions and map references;
 *  - ELF: df_object_write_elf then df_object_open must give back the same
 *    programs.
 * Inputs: the shared corpus (except invalid/), the conformance programs and
 * the objects built from tests/bpf. Set DF_SAVE_ASM_DIR to keep the dumped
 * texts (make fuzz uses them as seeds).
 */
#include "dataflow.h"

#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SHARED SHARED_DIR
#define MAX_DETAILS 20

#if defined(__GNUC__)
#define DF_TEST_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define DF_TEST_PRINTF(a, b)
#endif

struct stats {
	const char *what;
	unsigned objects, progs, insns;
	unsigned failures, load_failed, skipped;
	char *failed_loads;	/* one line per program, in a memstream */
	size_t failed_loads_len;
	FILE *failed_loads_f;
};

/* ------------------------------------------------------------------ */
/* Library diagnostics: kept, shown only with the failure they explain. */

static char lib_msg[2048];
static size_t lib_msg_len;

static int capture_print(enum df_print_level level, const char *fmt, va_list ap)
{
	int n;

	if (level == DF_DEBUG || lib_msg_len >= sizeof(lib_msg) - 1)
		return 0;
	n = vsnprintf(lib_msg + lib_msg_len, sizeof(lib_msg) - lib_msg_len, fmt, ap);
	if (n > 0)
		lib_msg_len += (size_t)n < sizeof(lib_msg) - lib_msg_len ?
			       (size_t)n : sizeof(lib_msg) - lib_msg_len - 1;
	return n;
}

static void lib_msg_reset(void)
{
	lib_msg[0] = 0;
	lib_msg_len = 0;
}

static const char *lib_msg_get(void)
{
	return lib_msg_len ? lib_msg : "(no diagnostic)\n";
}

/* ------------------------------------------------------------------ */
/* Input lists */

struct paths {
	char **v;
	size_t n, cap;
};

static void paths_add(struct paths *p, const char *s)
{
	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 64;
		p->v = realloc(p->v, p->cap * sizeof(*p->v));
		ck_assert(p->v);
	}
	p->v[p->n] = strdup(s);
	ck_assert(p->v[p->n]);
	p->n++;
}

static void paths_free(struct paths *p)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		free(p->v[i]);
	free(p->v);
	memset(p, 0, sizeof(*p));
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Regular files under dir (recursively), skipping skip_dir and *.md. */
static void find_files(struct paths *out, const char *dir, const char *skip_dir,
		       const char *suffix)
{
	DIR *d = opendir(dir);
	struct dirent *de;

	ck_assert_msg(d, "%s: %s", dir, strerror(errno));
	while ((de = readdir(d))) {
		char path[4096];
		struct stat st;
		size_t len = strlen(de->d_name);

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (stat(path, &st))
			continue;
		if (S_ISDIR(st.st_mode)) {
			if (!skip_dir || strcmp(de->d_name, skip_dir))
				find_files(out, path, skip_dir, suffix);
			continue;
		}
		if (!S_ISREG(st.st_mode) || (len > 3 && !strcmp(de->d_name + len - 3, ".md")))
			continue;
		if (suffix && (len < strlen(suffix) ||
			       strcmp(de->d_name + len - strlen(suffix), suffix)))
			continue;
		paths_add(out, path);
	}
	closedir(d);
	qsort(out->v, out->n, sizeof(*out->v), cmp_str);
}

/* ------------------------------------------------------------------ */
/* Reporting */

static void stats_init(struct stats *st, const char *what)
{
	memset(st, 0, sizeof(*st));
	st->what = what;
	st->failed_loads_f = open_memstream(&st->failed_loads, &st->failed_loads_len);
	ck_assert(st->failed_loads_f);
}

static void stats_report(struct stats *st)
{
	fclose(st->failed_loads_f);
	printf("%s: %u objects, %u programs, %u instructions round-tripped; "
	       "%u failures; %u programs not loaded",
	       st->what, st->objects, st->progs, st->insns, st->failures,
	       st->load_failed);
	if (st->skipped)
		printf("; %u objects not sampled", st->skipped);
	printf("\n");
	if (st->load_failed)
		printf("%s: programs whose load failed (not round-tripped):\n%s",
		       st->what, st->failed_loads);
	free(st->failed_loads);
	fflush(stdout);
}

/* One line per failure; the details only for the first few. */
static bool report_fail(struct stats *st, const char *fmt, ...) DF_TEST_PRINTF(2, 3);
static bool report_fail(struct stats *st, const char *fmt, ...)
{
	va_list ap;

	st->failures++;
	printf("FAIL ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (st->failures == MAX_DETAILS + 1)
		printf("%s: more failures, details omitted\n", st->what);
	return st->failures <= MAX_DETAILS;
}

static void print_insn(const char *tag, const struct df_prog *p, uint32_t pc)
{
	char buf[256];
	const unsigned char *b;

	if (pc >= p->insn_cnt) {
		printf("    %s: (end of program, %u slots)\n", tag, p->insn_cnt);
		return;
	}
	b = (const unsigned char *)&p->insns[pc];
	df_insn_snprint(buf, sizeof(buf), p, p->insns, p->insn_cnt, pc);
	printf("    %s: %02x %02x %02x %02x %02x %02x %02x %02x  %s\n", tag,
	       b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], buf);
}

/* The lines of a dump around the one the assembler rejected. */
static void print_text_excerpt(const char *text, size_t len, const char *label)
{
	const char *at = strstr(lib_msg, label);
	unsigned bad = 0, line = 1;
	size_t i;

	if (at)
		sscanf(at + strlen(label), ":%u:", &bad);
	printf("    dump around line %u:\n", bad);
	for (i = 0; i < len; i++) {
		if (line + 3 >= bad && line <= bad + 1) {
			if (i == 0 || text[i - 1] == '\n')
				printf("    %c%5u| ", line == bad ? '>' : ' ', line);
			putchar(text[i]);
		}
		if (text[i] == '\n')
			line++;
	}
	if (len && text[len - 1] != '\n' && line + 3 >= bad && line <= bad + 1)
		putchar('\n');
}

/* ------------------------------------------------------------------ */
/* Comparisons shared by both round trips; return a reason or NULL. */

static bool str_eq(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

static const char *cmp_maps(const struct df_map *a, const struct df_map *b)
{
	if (!str_eq(a->name, b->name))
		return "map name differs";
	if (a->type != b->type || a->key_size != b->key_size ||
	    a->value_size != b->value_size || a->max_entries != b->max_entries ||
	    a->flags != b->flags)
		return "map type/key/value/max_entries/flags differ";
	return NULL;
}

static const char *cmp_prog_meta(const struct df_prog *a, const struct df_prog *b,
				 bool kfunc_ids,
				 char *why, size_t why_len)
{
	uint32_t i;

	if (a->func_cnt != b->func_cnt) {
		snprintf(why, why_len, "%u functions, reassembled %u", a->func_cnt, b->func_cnt);
		return why;
	}
	for (i = 0; i < a->func_cnt; i++) {
		const struct df_func *x = &a->funcs[i], *y = &b->funcs[i];

		/* an unknown count may come back as whatever the writer declared */
		if (x->start != y->start || (x->arg_cnt >= 0 && x->arg_cnt != y->arg_cnt) ||
		    (x->name && !str_eq(x->name, y->name)) ||
		    (x->linkage != DF_LINKAGE_UNKNOWN && x->linkage != y->linkage)) {
			snprintf(why, why_len,
				 "function %u: %s at %u, %d args, linkage %d; reassembled %s at %u, %d args, linkage %d",
				 i, x->name ? x->name : "?", x->start, x->arg_cnt, x->linkage,
				 y->name ? y->name : "?", y->start, y->arg_cnt, y->linkage);
			return why;
		}
	}
	if (a->map_ref_cnt != b->map_ref_cnt) {
		snprintf(why, why_len, "%u map references, reassembled %u",
			 a->map_ref_cnt, b->map_ref_cnt);
		return why;
	}
	for (i = 0; i < a->map_ref_cnt; i++) {
		const struct df_map *ma = df_prog_map_at(a, a->map_refs[i].pc);
		const struct df_map *mb = df_prog_map_at(b, b->map_refs[i].pc);
		const char *r;

		if (a->map_refs[i].pc != b->map_refs[i].pc || !ma || !mb) {
			snprintf(why, why_len, "map reference %u at pc %u, reassembled at pc %u",
				 i, a->map_refs[i].pc, b->map_refs[i].pc);
			return why;
		}
		r = cmp_maps(ma, mb);
		if (r) {
			snprintf(why, why_len, "pc %u: %s (%s, reassembled %s)",
				 a->map_refs[i].pc, r, ma->name ? ma->name : "?",
				 mb->name ? mb->name : "?");
			return why;
		}
	}
	if (a->kfunc_cnt != b->kfunc_cnt) {
		snprintf(why, why_len, "%u kfuncs, reassembled %u", a->kfunc_cnt, b->kfunc_cnt);
		return why;
	}
	for (i = 0; i < a->kfunc_cnt; i++)
		if ((kfunc_ids && a->kfuncs[i].btf_id != b->kfuncs[i].btf_id) ||
		    a->kfuncs[i].arg_cnt != b->kfuncs[i].arg_cnt ||
		    !str_eq(a->kfuncs[i].name, b->kfuncs[i].name)) {
			snprintf(why, why_len, "kfunc %u differs", i);
			return why;
		}
	if (!str_eq(a->name, b->name) || a->type != b->type) {
		snprintf(why, why_len, "program %s type %u, reassembled %s type %u",
			 a->name ? a->name : "?", a->type, b->name ? b->name : "?", b->type);
		return why;
	}
	return NULL;
}

/*
 * Kfunc calls carry the BTF type id of the extern in the object that holds
 * them, so an object written anew numbers them anew: such calls are equal
 * when they name the same kernel function with the same argument count.
 */
static bool insn_eq(const struct df_prog *a, const struct df_prog *b, uint32_t pc)
{
	const struct df_kfunc *ka, *kb;

	if (!memcmp(&a->insns[pc], &b->insns[pc], sizeof(struct df_insn)))
		return true;
	ka = df_prog_kfunc_at(a, pc);
	kb = df_prog_kfunc_at(b, pc);
	return ka && kb && str_eq(ka->name, kb->name) && ka->arg_cnt == kb->arg_cnt;
}

static uint32_t first_diff(const struct df_prog *a, const struct df_prog *b)
{
	uint32_t pc, n = a->insn_cnt < b->insn_cnt ? a->insn_cnt : b->insn_cnt;

	for (pc = 0; pc < n; pc++)
		if (!insn_eq(a, b, pc))
			return pc;
	return n;
}

static bool same_insns(const struct df_prog *a, const struct df_prog *b)
{
	return a->insn_cnt == b->insn_cnt && first_diff(a, b) == a->insn_cnt;
}

/* ------------------------------------------------------------------ */
/* Text round trip */

static void save_text(const char *label, const char *text, size_t len)
{
	const char *dir = getenv("DF_SAVE_ASM_DIR");
	char path[4096], name[256];
	size_t i;
	FILE *f;

	if (!dir || !*dir)
		return;
	for (i = 0; label[i] && i < sizeof(name) - 1; i++)
		name[i] = (label[i] == '/' || label[i] == ' ') ? '_' : label[i];
	name[i] = 0;
	snprintf(path, sizeof(path), "%s/%s.s", dir, name);
	f = fopen(path, "w");
	if (!f)
		return;
	fwrite(text, 1, len, f);
	fclose(f);
}

static void record_load_failure(struct stats *st, const char *label,
				const struct df_prog *p)
{
	st->load_failed++;
	fprintf(st->failed_loads_f, "  %s: %s\n", label,
		p->err_msg ? p->err_msg : strerror(-p->err));
}

static void text_roundtrip(struct stats *st, const struct df_prog *p,
			   const char *label)
{
	DF_OPTS(df_dump_opts, opts, .directives = true);
	struct df_object *back = NULL;
	const struct df_prog *q;
	char *text = NULL, why[512];
	size_t len = 0;
	const char *r;
	FILE *f;
	int err;

	if (p->err) {
		record_load_failure(st, label, p);
		return;
	}
	st->progs++;
	f = open_memstream(&text, &len);
	ck_assert(f);
	lib_msg_reset();
	err = df_prog_dump(f, p, &opts);
	fclose(f);
	if (err) {
		if (report_fail(st, "%s: df_prog_dump: %s", label, strerror(-err)))
			printf("  %s", lib_msg_get());
		free(text);
		return;
	}
	save_text(label, text, len);
	lib_msg_reset();
	err = df_asm(text, len, label, &back);
	if (err || !back) {
		if (report_fail(st, "%s: df_asm of the dump: %s", label, strerror(-err))) {
			printf("  %s", lib_msg_get());
			print_text_excerpt(text, len, label);
		}
		free(text);
		return;
	}
	if (back->prog_cnt != 1 || back->progs[0].err) {
		report_fail(st, "%s: reassembled into %u programs (err %d)", label,
		     back->prog_cnt, back->prog_cnt ? back->progs[0].err : 0);
		goto out;
	}
	q = &back->progs[0];
	if (!same_insns(p, q)) {
		uint32_t pc = first_diff(p, q);

		if (report_fail(st, "%s: %u slots, reassembled %u; first difference at pc %u",
			 label, p->insn_cnt, q->insn_cnt, pc)) {
			print_insn("original   ", p, pc);
			print_insn("reassembled", q, pc);
		}
		goto out;
	}
	r = cmp_prog_meta(p, q, true, why, sizeof(why));
	if (!r && p->obj->license && !str_eq(p->obj->license, back->license))
		r = "license differs";
	if (r) {
		report_fail(st, "%s: %s", label, r);
		goto out;
	}
	st->insns += p->insn_cnt;
out:
	df_object_free(back);
	free(text);
}

static void text_roundtrip_file(struct stats *st, const char *path,
				enum df_input_kind kind, const char *label_base)
{
	DF_OPTS(df_open_opts, opts, .kind = kind);
	struct df_object *obj = NULL;
	char label[1024];
	uint32_t i;
	int err;

	lib_msg_reset();
	err = df_object_open(path, &opts, &obj);
	st->objects++;
	if (err) {
		if (report_fail(st, "%s: df_object_open: %s", label_base, strerror(-err)))
			printf("  %s", lib_msg_get());
		return;
	}
	for (i = 0; i < obj->prog_cnt; i++) {
		const struct df_prog *p = &obj->progs[i];

		snprintf(label, sizeof(label), "%s:%s", label_base,
			 p->name ? p->name : (p->section ? p->section : "?"));
		text_roundtrip(st, p, label);
	}
	df_object_free(obj);
}

static const char *rel_to(const char *path, const char *base)
{
	size_t n = strlen(base);

	return !strncmp(path, base, n) && path[n] == '/' ? path + n + 1 : path;
}

START_TEST(test_corpus)
{
	struct paths files = { 0 };
	struct stats st;
	size_t i;

	stats_init(&st, "corpus");
	find_files(&files, SHARED "/corpus", "invalid", NULL);
	ck_assert_msg(files.n > 0, "no objects under %s", SHARED "/corpus");
	for (i = 0; i < files.n; i++)
		text_roundtrip_file(&st, files.v[i], DF_INPUT_ELF,
				    rel_to(files.v[i], SHARED "/corpus"));
	paths_free(&files);
	stats_report(&st);
	ck_assert_msg(st.progs > 0, "corpus: no program loaded");
	ck_assert_msg(st.failures == 0, "corpus: %u round-trip failures", st.failures);
}
END_TEST

START_TEST(test_conformance)
{
	struct paths files = { 0 };
	struct stats st;
	size_t i;

	stats_init(&st, "conformance");
	find_files(&files, SHARED "/conformance", NULL, "prog.bin");
	ck_assert_msg(files.n > 0, "no prog.bin under %s", SHARED "/conformance");
	for (i = 0; i < files.n; i++)
		text_roundtrip_file(&st, files.v[i], DF_INPUT_RAW,
				    rel_to(files.v[i], SHARED "/conformance"));
	stats_report(&st);
	/* callx (call through a register) is an optional extension: listed, not failed */
	ck_assert_msg(st.progs + st.load_failed == files.n && st.progs > 0,
		      "conformance: %u of %zu programs loaded", st.progs, files.n);
	ck_assert_msg(st.failures == 0, "conformance: %u round-trip failures", st.failures);
	paths_free(&files);
}
END_TEST

static bool bpfc_objects(struct paths *files)
{
#ifdef HAVE_BPF_CLANG
	find_files(files, BUILDDIR "/tests/bpf", NULL, ".bpf.o");
	ck_assert_msg(files->n >= 12, "only %zu objects in %s (built by make check?)",
		      files->n, BUILDDIR "/tests/bpf");
	return true;
#else
	(void)files;
	printf("SKIP: clang not found by configure; tests/bpf objects not round-tripped\n");
	return false;
#endif
}

START_TEST(test_bpfc)
{
	struct paths files = { 0 };
	struct stats st;
	size_t i;

	if (!bpfc_objects(&files))
		return;
	stats_init(&st, "tests/bpf");
	for (i = 0; i < files.n; i++)
		text_roundtrip_file(&st, files.v[i], DF_INPUT_ELF,
				    rel_to(files.v[i], BUILDDIR));
	paths_free(&files);
	stats_report(&st);
	ck_assert_msg(st.load_failed == 0, "tests/bpf: %u programs did not load",
		      st.load_failed);
	ck_assert_msg(st.failures == 0, "tests/bpf: %u round-trip failures", st.failures);
}
END_TEST

/* ------------------------------------------------------------------ */
/* ELF write round trip */

static const char *cmp_objects(const struct df_object *a, const struct df_object *b,
			       uint32_t *bad_prog, char *why, size_t why_len)
{
	uint32_t i;
	const char *r;

	*bad_prog = UINT32_MAX;
	if (a->prog_cnt != b->prog_cnt) {
		snprintf(why, why_len, "%u programs, reread %u", a->prog_cnt, b->prog_cnt);
		return why;
	}
	if (a->license && !str_eq(a->license, b->license))
		return "license differs";
	if (a->map_cnt != b->map_cnt) {
		snprintf(why, why_len, "%u maps, reread %u", a->map_cnt, b->map_cnt);
		return why;
	}
	for (i = 0; i < a->map_cnt; i++) {
		r = cmp_maps(&a->maps[i], &b->maps[i]);
		if (r) {
			snprintf(why, why_len, "map %u (%s): %s", i,
				 a->maps[i].name ? a->maps[i].name : "?", r);
			return why;
		}
	}
	for (i = 0; i < a->prog_cnt; i++) {
		const struct df_prog *p = &a->progs[i], *q = &b->progs[i];

		*bad_prog = i;
		if (q->err) {
			snprintf(why, why_len, "reread program failed to load: %s",
				 q->err_msg ? q->err_msg : "?");
			return why;
		}
		if (!str_eq(p->section, q->section)) {
			snprintf(why, why_len, "section %s, reread %s", p->section, q->section);
			return why;
		}
		if (!same_insns(p, q)) {
			snprintf(why, why_len, "%u slots, reread %u; first difference at pc %u",
				 p->insn_cnt, q->insn_cnt, first_diff(p, q));
			return why;
		}
		r = cmp_prog_meta(p, q, false, why, why_len);
		if (r)
			return r;
	}
	return NULL;
}

static void elf_roundtrip_file(struct stats *st, const char *path, const char *label,
			       const char *tmpdir)
{
	struct df_object *obj = NULL, *back = NULL;
	char out[4096], why[512];
	const char *r;
	uint32_t i, bad = UINT32_MAX, insns = 0;
	int err;

	lib_msg_reset();
	err = df_object_open(path, NULL, &obj);
	if (err) {
		st->objects++;
		if (report_fail(st, "%s: df_object_open: %s", label, strerror(-err)))
			printf("  %s", lib_msg_get());
		return;
	}
	/* an object missing the code of a program cannot be written whole */
	for (i = 0; i < obj->prog_cnt; i++) {
		char l[1024];

		insns += obj->progs[i].insn_cnt;
		if (!obj->progs[i].err)
			continue;
		snprintf(l, sizeof(l), "%s:%s", label,
			 obj->progs[i].name ? obj->progs[i].name : "?");
		record_load_failure(st, l, &obj->progs[i]);
		bad = i;
	}
	if (bad != UINT32_MAX) {
		st->skipped++;
		df_object_free(obj);
		return;
	}
	st->objects++;
	snprintf(out, sizeof(out), "%s/rt.o", tmpdir);
	lib_msg_reset();
	err = df_object_write_elf(obj, out);
	if (err) {
		if (report_fail(st, "%s: df_object_write_elf: %s", label, strerror(-err)))
			printf("  %s", lib_msg_get());
		goto out;
	}
	lib_msg_reset();
	err = df_object_open(out, NULL, &back);
	if (err) {
		if (report_fail(st, "%s: reopening the written ELF: %s", label, strerror(-err)))
			printf("  %s", lib_msg_get());
		goto out;
	}
	r = cmp_objects(obj, back, &bad, why, sizeof(why));
	if (r) {
		if (report_fail(st, "%s: ELF round trip: %s", label, r)) {
			if (bad != UINT32_MAX && bad < back->prog_cnt &&
			    !same_insns(&obj->progs[bad], &back->progs[bad])) {
				uint32_t pc = first_diff(&obj->progs[bad], &back->progs[bad]);

				printf("  program %s:\n", obj->progs[bad].name);
				print_insn("original", &obj->progs[bad], pc);
				print_insn("reread  ", &back->progs[bad], pc);
			}
		}
		goto out;
	}
	st->progs += obj->prog_cnt;
	st->insns += insns;
out:
	unlink(out);
	df_object_free(back);
	df_object_free(obj);
}

START_TEST(test_elf_write)
{
	struct paths bpfc = { 0 }, corpus = { 0 };
	char tmpdir[] = "/tmp/df-roundtrip-XXXXXX";
	struct stats st;
	size_t i;

	ck_assert(mkdtemp(tmpdir));
	stats_init(&st, "ELF write");
	if (bpfc_objects(&bpfc))
		for (i = 0; i < bpfc.n; i++)
			elf_roundtrip_file(&st, bpfc.v[i], rel_to(bpfc.v[i], BUILDDIR), tmpdir);
	/* A sample: every object of build/, every third one elsewhere. */
	find_files(&corpus, SHARED "/corpus", "invalid", NULL);
	ck_assert_msg(corpus.n > 0, "no objects under %s", SHARED "/corpus");
	for (i = 0; i < corpus.n; i++) {
		const char *rel = rel_to(corpus.v[i], SHARED "/corpus");

		if (strncmp(rel, "build/", 6) && i % 3)
			continue;
		elf_roundtrip_file(&st, corpus.v[i], rel, tmpdir);
	}
	paths_free(&bpfc);
	paths_free(&corpus);
	rmdir(tmpdir);
	stats_report(&st);
	ck_assert_msg(st.objects > 0 && st.progs > 0, "ELF write: nothing written");
	ck_assert_msg(st.failures == 0, "ELF write: %u round-trip failures", st.failures);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("roundtrip");
	struct {
		const char *name;
		const TTest *test;
	} cases[] = {
		{ "bpfc", test_bpfc },
		{ "conformance", test_conformance },
		{ "corpus", test_corpus },
		{ "elf", test_elf_write },
	};
	SRunner *sr;
	size_t i;
	int failed;

	df_set_print(capture_print);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		TCase *tc = tcase_create(cases[i].name);

		/* the corpus holds programs of tens of thousands of instructions */
		tcase_set_timeout(tc, 900);
		tcase_add_test(tc, cases[i].test);
		suite_add_tcase(s, tc);
	}
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}

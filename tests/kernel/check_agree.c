/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * bpfdf verify against the kernel oracle's table of the shared corpus
 * (docs/kernel-agreement.md). No bpf(): the kernel's verdicts come from
 * tests/data/kernel/corpus.tsv. Fails on any program bpfdf accepts that the
 * kernel rejects for a safety reason (listed or not), on disagreements the
 * document does not list or lists although they are gone, and when bpfdf
 * accepts fewer than 90% of the programs the kernel accepts. The rules
 * themselves (table and document parsers, classifier, judgement) have unit
 * tests here too. Exit 77 (skip) when the corpus is missing.
 */
#include "agree.h"
#include "kload.h"
#include "ktable.h"
#include "ktypes.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CORPUS SHARED_DIR "/corpus"
#define TABLE SRCDIR "/tests/data/kernel/corpus.tsv"
#define DOC SRCDIR "/docs/kernel-agreement.md"
#define TYPES SRCDIR "/tests/data/kernel/types"
#define MIN_AGREE 0.90

static int quiet_print(enum df_print_level level, const char *fmt, va_list ap)
{
	(void)level;
	(void)fmt;
	(void)ap;
	return 0;
}

/* ------------------------------------------------------------------ */
/* The classifier and the judgement                                  */
/* ------------------------------------------------------------------ */

START_TEST(classify_safety)
{
	static const char *const lines[] = {
		"R7 invalid mem access 'scalar'",
		"R0 !read_ok",
		"invalid bpf_context access off=80 size=4",
		"R1 min value is outside of the allowed memory range",
		"Unreleased reference id=2 alloc_insn=7",
		"R1 pointer += pointer prohibited",
		"a message no pattern knows",
		"",
	};
	const char *pat;
	size_t i;

	for (i = 0; i < sizeof(lines) / sizeof(lines[0]); i++)
		ck_assert_msg(agree_is_safety(lines[i], &pat), "'%s' is a safety reason",
			      lines[i]);
	ck_assert(agree_is_safety("R3 invalid mem access 'scalar'", &pat));
	ck_assert_str_eq(pat, "invalid mem access");
	ck_assert(agree_is_safety("something new", &pat));
	ck_assert_ptr_null(pat);
}
END_TEST

START_TEST(classify_other)
{
	static const char *const lines[] = {
		"program of this type cannot use helper bpf_redirect#23",
		"unknown func bpf_not_yet#250",
		"unreachable insn 6",
		"cannot call GPL-restricted function from non-GPL compatible program",
		"BPF program is too large. Processed 1000001 insn",
	};
	const char *pat;
	size_t i;

	for (i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		ck_assert_msg(!agree_is_safety(lines[i], &pat), "'%s' is not about safety",
			      lines[i]);
		ck_assert_ptr_nonnull(pat);
	}
}
END_TEST

START_TEST(judge)
{
	struct agree_entry acc = { .list = AGREE_BPFDF_ACCEPTS };
	struct agree_entry rej = { .list = AGREE_BPFDF_REJECTS };
	const char *helper = "program of this type cannot use helper bpf_redirect#23";
	const char *mem = "R1 invalid mem access 'scalar'";

	ck_assert_int_eq(agree_judge(true, "", DF_VERDICT_ACCEPT, NULL, NULL), AGREE_SAME);
	ck_assert_int_eq(agree_judge(false, mem, DF_VERDICT_REJECT, NULL, NULL), AGREE_SAME);
	ck_assert_int_eq(agree_judge(false, mem, DF_VERDICT_UNSUPPORTED, NULL, NULL),
			 AGREE_SAME);
	ck_assert_int_eq(agree_judge(false, mem, DF_VERDICT_LIMIT, NULL, NULL), AGREE_SAME);
	/* bpfdf accepts what the kernel rejects */
	ck_assert_int_eq(agree_judge(false, mem, DF_VERDICT_ACCEPT, NULL, NULL), AGREE_UNSAFE);
	ck_assert_int_eq(agree_judge(false, mem, DF_VERDICT_ACCEPT, &acc, NULL), AGREE_UNSAFE);
	ck_assert_int_eq(agree_judge(false, helper, DF_VERDICT_ACCEPT, NULL, NULL),
			 AGREE_UNSAFE);
	ck_assert_int_eq(agree_judge(false, helper, DF_VERDICT_ACCEPT, &acc, NULL),
			 AGREE_LISTED);
	ck_assert_int_eq(agree_judge(false, helper, DF_VERDICT_ACCEPT, NULL, &rej),
			 AGREE_UNSAFE);
	/* bpfdf rejects what the kernel accepts */
	ck_assert_int_eq(agree_judge(true, "", DF_VERDICT_UNSUPPORTED, NULL, NULL),
			 AGREE_UNLISTED);
	ck_assert_int_eq(agree_judge(true, "", DF_VERDICT_LIMIT, NULL, &rej), AGREE_LISTED);
	ck_assert_int_eq(agree_judge(true, "", DF_VERDICT_REJECT, &acc, NULL), AGREE_UNLISTED);
	/* listed, but they agree now */
	ck_assert_int_eq(agree_judge(true, "", DF_VERDICT_ACCEPT, NULL, &rej), AGREE_STALE);
	ck_assert_int_eq(agree_judge(false, helper, DF_VERDICT_REJECT, &acc, NULL),
			 AGREE_STALE);
}
END_TEST

/* ------------------------------------------------------------------ */
/* The kernel's log (what the oracle records)                         */
/* ------------------------------------------------------------------ */

START_TEST(log_stats)
{
	const char *log = "func#0 @0\n0: R1=ctx() R10=fp0\n"
		"verification time 31 usec\nstack depth 8\n"
		"processed 12 insns (limit 1000000) max_states_per_insn 1 total_states 3 "
		"peak_states 2 mark_read 1\n";
	struct kload_result r = { 0 };

	ck_assert_int_eq(kload_parse_stats(log, &r), 0);
	ck_assert(r.have_stats && r.have_time);
	ck_assert_uint_eq(r.processed, 12);
	ck_assert_uint_eq(r.total_states, 3);
	ck_assert_uint_eq(r.peak_states, 2);
	ck_assert_uint_eq(r.usec, 31);
	/* a "processed" inside another line is not the statistics line */
	ck_assert_int_eq(kload_parse_stats("R1 processed 5 insns (limit 9) max_states_per_insn "
					   "1 total_states 1 peak_states 1\n", &r), -1);
	ck_assert(!r.have_stats && !r.have_time);
	ck_assert_int_eq(kload_parse_stats("processed 5 insns\n", &r), -1);
}
END_TEST

START_TEST(log_error_line)
{
	char line[256];

	kload_error_line("0: (85) call bpf_tail_call#12\nR0 !read_ok\n"
			 "processed 3 insns (limit 1000000) max_states_per_insn 0 "
			 "total_states 0 peak_states 0 mark_read 0\n", line, sizeof(line));
	ck_assert_str_eq(line, "R0 !read_ok");
	/* a message without its newline runs into the statistics */
	kload_error_line("expected prog array map for tail callverification time 31 usec\n"
			 "stack depth 0\nprocessed 4 insns (limit 1000000)\n", line,
			 sizeof(line));
	ck_assert_str_eq(line, "expected prog array map for tail call");
	kload_error_line("verification time 3 usec\nprocessed 1 insns\n", line, sizeof(line));
	ck_assert_str_eq(line, "");
	kload_error_line("", line, sizeof(line));
	ck_assert_str_eq(line, "");
}
END_TEST

/* ------------------------------------------------------------------ */
/* The table                                                          */
/* ------------------------------------------------------------------ */

#define HDR KTABLE_MAGIC "6.18.0; " KTABLE_COLUMNS "\n"
#define ROW_A "build/a.o\tprog\txdp\txdp\taccept\t12\t1\t1\t5\t\n"
#define ROW_B "build/b.o\tf\tsocket\tsocket_filter\treject\t3\t0\t0\t2\tR0 !read_ok\n"
#define ROW_C "invalid/x\t-\t-\t-\terror\t-\t-\t-\t-\tbpfdf cannot open it: Bad message\n"

static void table_fails(const char *text, const char *want)
{
	struct ktable t;
	char err[512];

	ck_assert_int_eq(ktable_parse(text, strlen(text), "t.tsv", &t, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, want), "error '%s' lacks '%s'", err, want);
	ck_assert_ptr_null(t.rows);
}

START_TEST(table_parse)
{
	const char *text = HDR ROW_A ROW_B ROW_C;
	const struct ktable_row *r;
	struct ktable t;
	char err[512];

	ck_assert_int_eq(ktable_parse(text, strlen(text), "t.tsv", &t, err, sizeof(err)), 0);
	ck_assert_str_eq(t.release, "6.18.0");
	ck_assert_uint_eq(t.cnt, 3);
	r = ktable_find(&t, "build/b.o", "f");
	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(r->verdict, KT_REJECT);
	ck_assert_str_eq(r->msg, "R0 !read_ok");
	ck_assert_int_eq(r->processed, 3);
	ck_assert_uint_eq(r->line, 3);
	r = ktable_find(&t, "invalid/x", "-");
	ck_assert_int_eq(r->verdict, KT_ERROR);
	ck_assert_int_eq(r->usec, -1);
	ck_assert_ptr_null(ktable_find(&t, "build/a.o", "f"));
	ktable_free(&t);
}
END_TEST

START_TEST(table_bad)
{
	table_fails("", "t.tsv:1: empty file");
	table_fails(ROW_A, "t.tsv:1: not a kernel-oracle table");
	table_fails(KTABLE_MAGIC "6.18; object\tprogram\n", "t.tsv:1: not a kernel-oracle");
	table_fails(HDR ROW_A "build/c.o\tf\tsocket\tsocket_filter\taccept\t1\t1\t1\t1\n",
		    "t.tsv:3: 9 tab-separated columns, expected 10");
	table_fails(HDR "a.o\tf\ts\tt\taccept\t1\t1\t1\t1\t\textra\n",
		    "t.tsv:2: 11 tab-separated columns");
	table_fails(HDR "a.o\tf\ts\tt\tmaybe\t1\t1\t1\t1\t\n", "t.tsv:2: unknown verdict 'maybe'");
	table_fails(HDR "a.o\tf\ts\tt\taccept\t1\tx\t1\t1\t\n",
		    "t.tsv:2: total_states is 'x', not a count");
	table_fails(HDR "a.o\tf\ts\tt\taccept\t-5\t1\t1\t1\t\n", "t.tsv:2: processed is '-5'");
	table_fails(HDR "a.o\tf\ts\tt\treject\t1\t1\t1\t1\t\n",
		    "t.tsv:2: a reject row without its reason");
	table_fails(HDR "a.o\t\ts\tt\taccept\t1\t1\t1\t1\t\n", "t.tsv:2: empty program column");
	table_fails(HDR ROW_B ROW_A, "t.tsv:3: rows out of order");
	table_fails(HDR ROW_A ROW_A, "t.tsv:3: duplicate row");
}
END_TEST

START_TEST(table_roundtrip)
{
	struct ktable_row rows[2] = {
		{ "dir/o.o", "p", "xdp", "xdp", KT_ACCEPT, 10, 2, 1, 7, "", 0 },
		{ "dir/o.o", "q", "xdp", "xdp", KT_REJECT, -1, -1, -1, -1, "bad\tline\n", 0 },
	};
	struct ktable t;
	char err[512], *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	ck_assert_ptr_nonnull(f);
	ktable_write_header(f, "6.18.0-test");
	ktable_write_row(f, &rows[0]);
	ktable_write_row(f, &rows[1]);
	fclose(f);
	ck_assert_msg(!ktable_parse(buf, len, "mem", &t, err, sizeof(err)), "%s", err);
	ck_assert_uint_eq(t.cnt, 2);
	ck_assert_str_eq(t.release, "6.18.0-test");
	ck_assert_int_eq(t.rows[0].total_states, 2);
	ck_assert_int_eq(t.rows[1].processed, -1);
	ck_assert_str_eq(t.rows[1].msg, "bad line ");
	ktable_free(&t);
	free(buf);
}
END_TEST

/* ------------------------------------------------------------------ */
/* The document                                                       */
/* ------------------------------------------------------------------ */

#define DOC_A "## Accepted by bpfdf, rejected by the kernel\n"
#define DOC_R "## Rejected by bpfdf, accepted by the kernel\n"

static void doc_fails(const char *text, const char *want)
{
	struct agree_doc d;
	char err[512];

	ck_assert_int_eq(agree_doc_parse(text, strlen(text), "d.md", &d, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, want), "error '%s' lacks '%s'", err, want);
	ck_assert_ptr_null(d.e);
}

START_TEST(doc_parse)
{
	const char *text = "# Title\n\n- not/in.o:a list — ignored\n" DOC_A
		"\nintro text\n- `build/x.o:f` — helper not allowed\n" DOC_R
		"- cilium/y.o:g -- map-in-map lookups\n### Other\n- z.o:h — not a list entry\n";
	struct agree_doc d;
	struct agree_entry *e;
	char err[512];

	ck_assert_msg(!agree_doc_parse(text, strlen(text), "d.md", &d, err, sizeof(err)),
		      "%s", err);
	ck_assert_uint_eq(d.cnt, 2);
	e = agree_doc_find(&d, AGREE_BPFDF_ACCEPTS, "build/x.o", "f");
	ck_assert_ptr_nonnull(e);
	ck_assert_str_eq(e->reason, "helper not allowed");
	ck_assert_uint_eq(e->line, 7);
	e = agree_doc_find(&d, AGREE_BPFDF_REJECTS, "cilium/y.o", "g");
	ck_assert_ptr_nonnull(e);
	ck_assert_str_eq(e->reason, "map-in-map lookups");
	ck_assert_ptr_null(agree_doc_find(&d, AGREE_BPFDF_REJECTS, "build/x.o", "f"));
	ck_assert_ptr_null(agree_doc_find(&d, AGREE_BPFDF_REJECTS, "z.o", "h"));
	agree_doc_free(&d);
}
END_TEST

START_TEST(doc_bad)
{
	doc_fails(DOC_A, "d.md:1: no heading 'Rejected by bpfdf");
	doc_fails(DOC_A DOC_R "- a.o:f\n", "d.md:3: expected '- object:program");
	doc_fails(DOC_A DOC_R "- a.o:f reason\n", "d.md:3: expected ' — '");
	doc_fails(DOC_A DOC_R "- `a.o:f` — \n", "d.md:3: no reason given");
	doc_fails(DOC_A DOC_R "- `a.o:f — x\n", "d.md:3: unterminated");
	doc_fails(DOC_A DOC_R "- a.o — x\n", "d.md:3: expected object:program, got 'a.o'");
	doc_fails(DOC_A DOC_R "- a.o:f — x\n- a.o:f — y\n", "d.md:4: a.o:f is listed twice");
	doc_fails(DOC_A DOC_R DOC_A, "d.md:3: a second 'Accepted by bpfdf");
}
END_TEST

/* ------------------------------------------------------------------ */
/* The corpus                                                         */
/* ------------------------------------------------------------------ */

struct tally {
	unsigned rows, kaccept, kreject, kreject_safety, kskip, kerror, typed_as, typed_as_accepted;
	unsigned agreed, both_accept, listed_accepts, listed_rejects;
	unsigned unsafe, unlisted, stale, missing;
};

static const struct df_prog *find_prog(const struct df_object *obj, const struct ktable_row *r)
{
	uint32_t i;

	for (i = 0; i < obj->prog_cnt; i++) {
		const struct df_prog *p = &obj->progs[i];

		if (!strcmp(p->name, r->program) && p->section && !strcmp(p->section, r->section))
			return p;
	}
	return NULL;
}

static void report(const char *what, const struct ktable_row *r, const char *kline,
		   const struct df_verify_result *res, const char *note)
{
	printf("%-8s %s:%s: kernel %s%s%s%s, bpfdf %s%s%s%s%s\n", what, r->object, r->program,
	       ktable_verdict_name(r->verdict), *kline ? " (" : "", kline, *kline ? ")" : "",
	       res ? df_verdict_name(res->verdict) : "-", res && res->msg[0] ? " (" : "",
	       res ? res->msg : "", res && res->msg[0] ? ")" : "", note);
}

/*
 * A program is verified as the type the kernel was given (the table's type
 * column) when that is not the type its section names: a section that names
 * none, or an object in the oracle's type hints. `bpfdf verify --type` does
 * the same; both verifiers then answer the same question.
 */
static struct df_object *open_as(const char *object, const char *type)
{
	DF_OPTS(df_open_opts, opts, .prog_type = type);
	struct df_object *obj = NULL;
	char *path;

	ck_assert_int_ge(asprintf(&path, "%s/%s", CORPUS, object), 0);
	if (df_object_open(path, type ? &opts : NULL, &obj))
		obj = NULL;
	free(path);
	return obj;
}

/* Verify one row's program and judge it against the document. */
static void compare_row(const struct ktable_row *r, const struct df_object *obj,
			struct agree_doc *doc, struct tally *t)
{
	DF_OPTS(df_verify_opts, opts);
	struct df_object *typed = NULL;
	struct agree_entry *acc = agree_doc_find(doc, AGREE_BPFDF_ACCEPTS, r->object, r->program);
	struct agree_entry *rej = agree_doc_find(doc, AGREE_BPFDF_REJECTS, r->object, r->program);
	const struct df_prog *p = obj ? find_prog(obj, r) : NULL;
	struct df_verify_result *res = NULL;
	bool kacc = r->verdict == KT_ACCEPT;
	enum agree_outcome o;
	const char *pat;
	char note[300];

	if (acc)
		acc->seen = true;
	if (rej)
		rej->seen = true;
	if (p && (!p->type || !df_prog_type_name(p->type) ||
		  strcmp(df_prog_type_name(p->type), r->type))) {
		typed = open_as(r->object, r->type);
		p = typed ? find_prog(typed, r) : NULL;
		t->typed_as++;
		t->typed_as_accepted += kacc;
	}
	if (!p || df_verify(p, &opts, &res) || !res) {
		t->missing++;
		report("MISSING", r, r->msg, NULL, obj ? ": no such program, or df_verify "
		       "failed (regenerate the table?)" : ": the object does not open");
		df_verify_result_free(res);
		df_object_free(typed);
		return;
	}
	o = agree_judge(kacc, r->msg, res->verdict, acc, rej);
	note[0] = 0;
	switch (o) {
	case AGREE_SAME:
		t->agreed++;
		t->both_accept += kacc;
		break;
	case AGREE_LISTED:
		if (kacc)
			t->listed_rejects++;
		else
			t->listed_accepts++;
		break;
	case AGREE_UNSAFE:
		t->unsafe++;
		if (agree_is_safety(r->msg, &pat))
			snprintf(note, sizeof(note), ": a safety rejection (%s)",
				 pat ? pat : "no pattern says otherwise");
		else
			snprintf(note, sizeof(note), ": not listed under '%s'",
				 "Accepted by bpfdf, rejected by the kernel");
		break;
	case AGREE_UNLISTED:
		t->unlisted++;
		snprintf(note, sizeof(note), ": not listed under '%s'",
			 "Rejected by bpfdf, accepted by the kernel");
		break;
	case AGREE_STALE:
		t->stale++;
		t->agreed++;
		t->both_accept += kacc;
		snprintf(note, sizeof(note), ": they agree now; docs/kernel-agreement.md:%u "
			 "is stale", acc ? acc->line : rej->line);
		break;
	}
	if (o != AGREE_SAME)
		report(agree_outcome_name(o), r, r->msg, res, note);
	df_verify_result_free(res);
	df_object_free(typed);
}

/* ------------------------------------------------------------------ */
/* Type hints                                                         */
/* ------------------------------------------------------------------ */

static int hints_from(const char *text, struct ktypes *t, char *err, size_t err_len)
{
	char path[] = "/tmp/ktypes-XXXXXX";
	int fd = mkstemp(path), rc;

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	rc = ktypes_load(path, t, err, err_len);
	unlink(path);
	return rc;
}

START_TEST(types_parse)
{
	struct ktypes t;
	char err[256];

	ck_assert_int_eq(hints_from("# c\n\ncilium/bpf_xdp*.o  xdp # the agent's\n"
				    "*/tc.o\tsched_cls\n", &t, err, sizeof(err)), 0);
	ck_assert_uint_eq(t.cnt, 2);
	ck_assert_str_eq(ktypes_lookup(&t, "cilium/bpf_xdp_dsr.o"), "xdp");
	ck_assert_str_eq(ktypes_lookup(&t, "/srv/corpus/cilium/bpf_xdp.o"), "xdp");
	ck_assert_ptr_null(ktypes_lookup(&t, "cilium/bpf_lxc.o"));
	ck_assert_ptr_null(ktypes_lookup(&t, "notcilium/bpf_xdp.o/x"));
	ck_assert_str_eq(ktypes_lookup(&t, "a/b/tc.o"), "sched_cls");
	ktypes_free(&t);
}
END_TEST

START_TEST(types_bad)
{
	static const struct { const char *text, *want; } cases[] = {
		{ "a.o\n", ":1: expected GLOB TYPE, got only 'a.o'" },
		{ "# x\na.o xdp tc\n", ":2: expected GLOB TYPE, then nothing, got 'tc'" },
		{ "a.o xdp\nb.o nosuchtype\n", ":2: unknown program type 'nosuchtype'" },
	};
	struct ktypes t;
	char err[256];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ck_assert_int_eq(hints_from(cases[i].text, &t, err, sizeof(err)), -1);
		ck_assert_msg(strstr(err, cases[i].want), "'%s' lacks '%s'", err, cases[i].want);
		ck_assert_ptr_null(t.v);
	}
	ck_assert_int_eq(ktypes_load("/nonexistent/types", &t, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "/nonexistent/types:0: "));
}
END_TEST

/* Every checked-in hint names a type the table used for some object. */
START_TEST(types_checked_in)
{
	struct ktypes t;
	struct ktable tab;
	char err[512];
	size_t i, j;

	ck_assert_msg(!ktypes_load(TYPES, &t, err, sizeof(err)), "%s", err);
	ck_assert_msg(!ktable_load(TABLE, &tab, err, sizeof(err)), "%s", err);
	for (i = 0; i < t.cnt; i++) {
		bool used = false;

		for (j = 0; j < tab.cnt && !used; j++)
			used = ktypes_lookup(&t, tab.rows[j].object) == t.v[i].type &&
			       !strcmp(tab.rows[j].type, t.v[i].type);
		ck_assert_msg(used, "%s:%u: no table row was loaded as '%s' through '%s' "
			      "(regenerate the table?)", TYPES, t.v[i].line, t.v[i].type,
			      t.v[i].glob);
	}
	ktypes_free(&t);
	ktable_free(&tab);
}
END_TEST

START_TEST(corpus_agrees)
{
	struct tally t = { 0 };
	struct df_object *obj = NULL;
	const char *open_name = NULL;
	struct agree_doc doc;
	struct ktable tab;
	unsigned problems;
	char err[512];
	double pct;
	size_t i;

	ck_assert_msg(!ktable_load(TABLE, &tab, err, sizeof(err)), "%s", err);
	ck_assert_msg(!agree_doc_load(DOC, &doc, err, sizeof(err)), "%s", err);
	df_set_print(quiet_print);
	for (i = 0; i < tab.cnt; i++) {
		const struct ktable_row *r = &tab.rows[i];

		t.rows++;
		t.kaccept += r->verdict == KT_ACCEPT;
		t.kreject += r->verdict == KT_REJECT;
		t.kreject_safety += r->verdict == KT_REJECT && agree_is_safety(r->msg, NULL);
		t.kskip += r->verdict == KT_SKIP;
		t.kerror += r->verdict == KT_ERROR;
		if (r->verdict != KT_ACCEPT && r->verdict != KT_REJECT)
			continue;
		if (!open_name || strcmp(open_name, r->object)) {
			df_object_free(obj);
			open_name = r->object;
			obj = open_as(r->object, NULL);
		}
		compare_row(r, obj, &doc, &t);
	}
	df_object_free(obj);
	df_set_print(NULL);
	for (i = 0; i < doc.cnt; i++) {
		if (doc.e[i].seen)
			continue;
		t.stale++;
		printf("STALE    %s:%s: docs/kernel-agreement.md:%u lists a program the table "
		       "has no kernel verdict for\n", doc.e[i].object, doc.e[i].program,
		       doc.e[i].line);
	}
	pct = t.kaccept ? 100.0 * t.both_accept / t.kaccept : 0;
	printf("kernel agreement (table of Linux %s): %u rows; the kernel accepts %u, "
	       "rejects %u (%u for safety reasons), %u not loaded (skip), %u objects that do "
	       "not open. Of the %u programs with a kernel verdict (%u of them, %u accepted "
	       "by the kernel, verified as the type the kernel was given, not the one their "
	       "sections name) bpfdf agrees on %u; it accepts %u of the %u the kernel accepts "
	       "(%.1f%%, at least %.0f%% required); %u bpfdf-only rejections (listed), %u "
	       "bpfdf-only acceptances of non-safety rejections (listed), %u unsafe "
	       "acceptances, %u unlisted disagreements, %u stale entries, %u programs "
	       "missing.\n", tab.release, t.rows, t.kaccept, t.kreject, t.kreject_safety,
	       t.kskip, t.kerror, t.kaccept + t.kreject, t.typed_as, t.typed_as_accepted,
	       t.agreed, t.both_accept, t.kaccept, pct, MIN_AGREE * 100, t.listed_rejects,
	       t.listed_accepts, t.unsafe, t.unlisted, t.stale, t.missing);
	fflush(stdout);
	problems = t.unsafe + t.unlisted + t.stale + t.missing;
	ktable_free(&tab);
	agree_doc_free(&doc);
	ck_assert_msg(!problems, "%u unsafe acceptances, %u unlisted, %u stale, %u missing "
		      "(lines above)", t.unsafe, t.unlisted, t.stale, t.missing);
	ck_assert_msg(t.kaccept && t.both_accept >= MIN_AGREE * t.kaccept,
		      "bpfdf accepts %u of the %u programs the kernel accepts (%.1f%%)",
		      t.both_accept, t.kaccept, pct);
}
END_TEST

static Suite *suite(bool corpus)
{
	Suite *s = suite_create("agree");
	TCase *tc = tcase_create("rules");

	tcase_add_test(tc, classify_safety);
	tcase_add_test(tc, classify_other);
	tcase_add_test(tc, judge);
	tcase_add_test(tc, log_stats);
	tcase_add_test(tc, log_error_line);
	tcase_add_test(tc, table_parse);
	tcase_add_test(tc, table_bad);
	tcase_add_test(tc, table_roundtrip);
	tcase_add_test(tc, doc_parse);
	tcase_add_test(tc, doc_bad);
	tcase_add_test(tc, types_parse);
	tcase_add_test(tc, types_bad);
	tcase_add_test(tc, types_checked_in);
	suite_add_tcase(s, tc);
	if (corpus) {
		tc = tcase_create("corpus");
		tcase_add_test(tc, corpus_agrees);
		tcase_set_timeout(tc, 3600);
		suite_add_tcase(s, tc);
	}
	return s;
}

int main(void)
{
	bool corpus = !access(CORPUS, R_OK);
	SRunner *sr;
	int failed;

	sr = srunner_create(suite(corpus));
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	if (failed)
		return EXIT_FAILURE;
	if (!corpus) {
		printf("SKIP: no corpus at %s: the agreement with the kernel was not checked\n",
		       CORPUS);
		return 77;
	}
	return EXIT_SUCCESS;
}

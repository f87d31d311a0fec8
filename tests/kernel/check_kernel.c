/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Kernel cross-check: bpfdf's register liveness against the verifier's
 * "Live regs before insn:" listing, for every fixture program, every
 * tests/bpf object and every corpus object the running kernel loads.
 * Exit 0 when every compared program agrees, 1 on any difference, 77
 * (skip) when the kernel refuses to load programs.
 *
 *   check_kernel [FILE...]     compare these files instead
 */
#include "dirlist.h"
#include "fixture.h"
#include "kload.h"
#include "liveness.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_DIFF_LINES 5

struct totals {
	unsigned files, progs, compared, insns, skipped, diff_progs, diff_insns;
	unsigned rejected, rejected_diff;
};

static int quiet_print(enum df_print_level level, const char *fmt, va_list ap)
{
	(void)level;
	(void)fmt;
	(void)ap;
	return 0;
}

static void regs_str(char *buf, uint16_t mask)
{
	int r;

	for (r = 0; r < 10; r++)
		buf[r] = mask & (1u << r) ? (char)('0' + r) : '.';
	buf[10] = 0;
}

/*
 * Compare one program; returns the number of differing instructions, or
 * -1 when bpfdf rejects the program (the kernel lists registers before its
 * own later checks, e.g. recursion, reject it).
 */
static int compare(const char *file, const struct df_prog *prog,
		   const struct kload_live *k, struct totals *t)
{
	struct df_pipeline *p = NULL;
	const struct df_solver *s;
	int diffs = 0;
	uint32_t pc;
	int err;

	err = df_pipeline_new(prog, NULL, &p);
	if (!err)
		err = df_pipeline_run(p, "regs");
	s = err ? NULL : df_pipeline_solver(p, "regs");
	if (!s) {
		printf("SKIP %s %s: bpfdf rejects it (%s); the kernel rejects it after "
		       "its listing\n", file, prog->name, strerror(err ? -err : ENOENT));
		df_pipeline_free(p);
		return err == -EINVAL ? -1 : 1;
	}
	for (pc = 0; pc < prog->insn_cnt; pc += df_insn_slots(&prog->insns[pc])) {
		char kb[11], ob[11], insn[128];
		uint16_t mask = 0;
		int r = df_regs_live_before(s, pc, &mask);

		if (k->have[pc] && !r && (mask & 0x3ff) == k->mask[pc])
			continue;
		diffs++;
		if (diffs > MAX_DIFF_LINES)
			continue;
		regs_str(kb, k->mask[pc]);
		regs_str(ob, mask);
		df_insn_snprint(insn, sizeof(insn), prog, prog->insns, prog->insn_cnt, pc);
		printf("DIFF %s %s pc %u: kernel %s bpfdf %s (%s)\n", file, prog->name, pc,
		       k->have[pc] ? kb : "(no line)", r ? "(unreached)" : ob, insn);
	}
	if (diffs > MAX_DIFF_LINES)
		printf("DIFF %s %s: %d more instructions differ\n", file, prog->name,
		       diffs - MAX_DIFF_LINES);
	t->insns += prog->insn_cnt;
	df_pipeline_free(p);
	return diffs;
}

static void check_object(const char *file, struct df_object *obj, struct totals *t)
{
	uint32_t i;

	t->files++;
	for (i = 0; i < obj->prog_cnt; i++) {
		const struct df_prog *prog = &obj->progs[i];
		struct kload_live k;
		char why[512];
		int d;

		t->progs++;
		if (prog->err) {
			printf("SKIP %s %s: bpfdf cannot load it: %s\n", file, prog->name,
			       prog->err_msg ? prog->err_msg : strerror(-prog->err));
			t->skipped++;
			continue;
		}
		if (kload_live_regs(prog, &k, why, sizeof(why))) {
			printf("SKIP %s %s: %s\n", file, prog->name, why);
			t->skipped++;
			continue;
		}
		d = compare(file, prog, &k, t);
		kload_live_free(&k);
		if (d < 0) {
			t->skipped++;
			continue;
		}
		t->compared++;
		if (!k.accepted) {
			t->rejected++;
			if (d)
				t->rejected_diff++;
			printf("%s %s %s: the kernel rejects it (%s)\n", d ? "NOTE" : "OK  ",
			       file, prog->name, k.reason);
		} else if (d) {
			t->diff_progs++;
			t->diff_insns += (unsigned)d;
		} else {
			printf("OK   %s %s: %u insns\n", file, prog->name, prog->insn_cnt);
		}
	}
}

static void check_file(const char *path, struct totals *t)
{
	size_t n = strlen(path);
	struct df_object *obj = NULL;
	int err;

	if (n > 2 && !strcmp(path + n - 2, ".t")) {
		struct fixture fx;
		const char *text;
		char why[512];

		if (fixture_load(path, &fx, why, sizeof(why))) {
			printf("SKIP %s: %s\n", path, why);
			return;
		}
		text = fixture_asm(&fx);
		err = text ? df_asm(text, strlen(text), path, &obj) : -EINVAL;
		fixture_free(&fx);
		if (err) {
			/* Fixtures of assembler errors have no program to compare. */
			return;
		}
	} else if (df_object_open(path, NULL, &obj)) {
		printf("SKIP %s: bpfdf cannot open it\n", path);
		return;
	}
	check_object(path, obj, t);
	df_object_free(obj);
}

/* Files under dir (recursively when deep) whose names end in suffix ("" any). */
static void walk(const char *dir, const char *suffix, bool deep, struct totals *t)
{
	char **v;
	size_t n, i;

	if (dirlist(dir, &v, &n) == -ENOMEM)
		exit(99);
	for (i = 0; i < n; i++) {
		struct stat st;
		size_t len = strlen(v[i]), sl = strlen(suffix);

		if (strrchr(v[i], '/')[1] == '.' || stat(v[i], &st))
			continue;
		if (S_ISDIR(st.st_mode)) {
			/* invalid/ holds malformed objects: nothing to compare. */
			if (deep && !strstr(v[i], "/invalid"))
				walk(v[i], suffix, deep, t);
		} else if (S_ISREG(st.st_mode) && len >= sl &&
			   !strcmp(v[i] + len - sl, suffix) &&
			   (len < 3 || strcmp(v[i] + len - 3, ".md"))) {
			check_file(v[i], t);
		}
	}
	dirlist_free(v, n);
}

int main(int argc, char **argv)
{
	struct totals t = { 0 };
	char why[256];
	int i;

	if (kload_probe(why, sizeof(why))) {
		printf("SKIP: kernel cross-check not run: %s\n", why);
		return 77;
	}
	df_set_print(quiet_print);
	if (argc > 1) {
		for (i = 1; i < argc; i++)
			check_file(argv[i], &t);
	} else {
		walk(SRCDIR "/tests/fixtures", ".t", false, &t);
		walk(SRCDIR "/tests/fixtures/analysis", ".t", false, &t);
		walk(BUILDDIR "/tests/bpf", ".bpf.o", false, &t);
		walk(SHARED_DIR "/corpus", "", true, &t);
	}
	printf("kernel cross-check: %u files, %u programs: %u compared (%u insns), "
	       "%u skipped; of the compared, %u rejected by the kernel (%u of them "
	       "differ, not counted); %u loaded programs with differences (%u insns)\n",
	       t.files, t.progs, t.compared, t.insns, t.skipped, t.rejected,
	       t.rejected_diff, t.diff_progs, t.diff_insns);
	if (t.diff_progs)
		return 1;
	if (!t.compared) {
		printf("SKIP: the kernel listed no program\n");
		return 77;
	}
	return 0;
}

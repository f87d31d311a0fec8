/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * make bench-verify (docs/verify-bench.md): verify every program of the
 * given files (directories are walked, invalid/ skipped) in each built-in
 * pruning mode and print one row per program: verdict, processed
 * instructions, total states and time per mode. When bpf() works, the same
 * program is loaded into the running kernel with BPF_LOG_STATS and the
 * kernel's verdict, processed insns, total and peak states and verification
 * time go in the same row; where bpf() is refused they come from the kernel
 * oracle's table (tests/data/kernel/corpus.tsv). The summary gives the
 * median and worst ratios of states and time against the kernel on the
 * programs both accept. Objects named in the type hints
 * (tests/data/kernel/types, --types) are verified and loaded as the type
 * given there.
 * Each program runs in a forked child, so one crash costs one row; each
 * mode (and the kernel load) runs at least -r times (default 5), and more,
 * up to MAX_REPS, until its runs add up to MIN_SPAN_US, in rounds that
 * take turns between the sides; the fastest run counts. That keeps
 * first-run effects out of the comparison, and gives a program verified in
 * microseconds as many chances as the machine's noise needs, on both sides
 * alike.
 *
 *   bench_verify [-q] [-r N] [--no-kernel] [--table FILE] [--types FILE] FILE|DIR...
 */
#include "verify.h"
#include "bench_util.h"
#include "dirlist.h"
#include "kload.h"
#include "ktable.h"
#include "ktypes.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define NMODES 3
#define MIN_SPAN_US	2000.0	/* repeat a run until its repetitions add up to this */
#define MAX_REPS	25

struct run_stats {
	int verdict;		/* enum df_verdict, or -1: not run / failed */
	uint64_t processed, total_states, peak_states;
	double usec;
};

struct sample {
	struct run_stats mode[NMODES];
	struct run_stats kernel;	/* verdict ACCEPT or REJECT, -1: not compared */
	char kwhy[320];			/* why the kernel was not compared, or its error */
};

struct ratio {
	double *v;
	size_t n;
};

struct totals {
	unsigned progs, crashed, accepted[NMODES], kaccepted, kcompared, both[NMODES];
	struct ratio states[NMODES], time[NMODES];
	double usec[NMODES], kusec;
};

static const struct df_prune_mode *modes[NMODES];
static bool quiet, use_kernel = true;
static int reps = 5;
static char kernel_off[1024];
static char kernel_source[2200];	/* where the kernel's figures come from */
/* Where bpf() is refused: the kernel's figures from the oracle's table. */
static const char *table_path = KTABLE_DEFAULT;
static bool table_forced;
static struct ktable table;
static struct ktypes types;
static bool use_table;

/* ------------------------------------------------------------------ */
/* The kernel's figures                                               */
/* ------------------------------------------------------------------ */

/* Load prog with BPF_LOG_STATS (the statistics lines without the per-insn log). */
static void kernel_stats(const struct df_prog *prog, struct sample *s)
{
	struct kload_result k;

	s->kernel.verdict = -1;
	if (kload_load(prog, 4, false, &k)) {
		snprintf(s->kwhy, sizeof(s->kwhy), "out of memory");
		return;
	}
	snprintf(s->kwhy, sizeof(s->kwhy), "%s", k.msg);
	if (k.verdict == KLOAD_SKIP)
		return;
	if (!k.have_stats || !k.have_time) {
		snprintf(s->kwhy, sizeof(s->kwhy), "no statistics (%s)",
			 k.verdict == KLOAD_ACCEPT ? "loaded" : k.msg);
		return;
	}
	s->kernel.verdict = k.verdict == KLOAD_ACCEPT ? DF_VERDICT_ACCEPT : DF_VERDICT_REJECT;
	s->kernel.processed = k.processed;
	s->kernel.total_states = k.total_states;
	s->kernel.peak_states = k.peak_states;
	s->kernel.usec = (double)k.usec;
}

/* The table's row of prog: the longest object name that ends the path. */
static const struct ktable_row *table_row(const char *path, const char *prog)
{
	const struct ktable_row *best = NULL;
	size_t n = strlen(path), i;

	for (i = 0; i < table.cnt; i++) {
		const struct ktable_row *r = &table.rows[i];
		size_t m = strlen(r->object);

		if (m > n || strcmp(path + n - m, r->object) || (m < n && path[n - m - 1] != '/') ||
		    strcmp(r->program, prog))
			continue;
		if (!best || m > strlen(best->object))
			best = r;
	}
	return best;
}

/* The same figures from the table. */
static void table_stats(const char *path, const struct df_prog *prog, struct sample *s)
{
	const struct ktable_row *r = table_row(path, prog->name);

	s->kernel.verdict = -1;
	if (!r) {
		snprintf(s->kwhy, sizeof(s->kwhy), "not in the table");
		return;
	}
	snprintf(s->kwhy, sizeof(s->kwhy), "%s", r->msg);
	if ((r->verdict != KT_ACCEPT && r->verdict != KT_REJECT) || r->processed < 0 ||
	    r->total_states < 0 || r->peak_states < 0 || r->usec < 0)
		return;
	s->kernel.verdict = r->verdict == KT_ACCEPT ? DF_VERDICT_ACCEPT : DF_VERDICT_REJECT;
	s->kernel.processed = (uint64_t)r->processed;
	s->kernel.total_states = (uint64_t)r->total_states;
	s->kernel.peak_states = (uint64_t)r->peak_states;
	s->kernel.usec = (double)r->usec;
}

/* ------------------------------------------------------------------ */
/* One program                                                        */
/* ------------------------------------------------------------------ */

/* Run i (a mode, or the kernel load at NMODES) once into s; false when it cannot run. */
static bool run_once(const struct df_prog *prog, int i, bool first, struct sample *s,
		     double *usec)
{
	if (i < NMODES) {
		DF_OPTS(df_verify_opts, opts, .mode = modes[i]);
		struct df_verify_result *r = NULL;

		if (df_verify(prog, &opts, &r) || !r)
			return false;
		*usec = (double)r->stats.time_ns / 1e3;
		if (first || *usec < s->mode[i].usec)
			s->mode[i].usec = *usec;
		s->mode[i].verdict = r->verdict;
		s->mode[i].processed = r->stats.processed;
		s->mode[i].total_states = r->stats.total_states;
		s->mode[i].peak_states = r->stats.peak_states;
		df_verify_result_free(r);
		return true;
	} else {
		struct sample k;

		memset(&k, 0, sizeof(k));
		kernel_stats(prog, &k);
		if (k.kernel.verdict < 0 && !first)
			return false;
		*usec = k.kernel.usec;
		if (first || k.kernel.usec < s->kernel.usec) {
			s->kernel = k.kernel;
			memcpy(s->kwhy, k.kwhy, sizeof(s->kwhy));
		}
		return k.kernel.verdict >= 0;
	}
}

/*
 * Rounds of one run of each mode and of the kernel load, so that a slow
 * moment of the machine falls on every side alike; a side stops after
 * -r runs once its runs add up to MIN_SPAN_US, or after MAX_REPS.
 */
static void run_child(const struct df_prog *prog, int fd)
{
	struct { int rep; double span; bool stop; } side[NMODES + 1];
	struct sample s;
	bool busy = true;

	memset(&s, 0, sizeof(s));
	memset(side, 0, sizeof(side));
	for (int m = 0; m < NMODES; m++)
		s.mode[m].verdict = -1;
	s.kernel.verdict = -1;
	side[NMODES].stop = !use_kernel;
	while (busy) {
		busy = false;
		for (int i = 0; i <= NMODES; i++) {
			double usec = 0;

			if (side[i].stop || (side[i].rep >= reps &&
					     (side[i].rep >= MAX_REPS || side[i].span >= MIN_SPAN_US)))
				continue;
			if (!run_once(prog, i, !side[i].rep, &s, &usec)) {
				side[i].stop = true;
				continue;
			}
			side[i].rep++;
			side[i].span += usec;
			busy = true;
		}
	}
	if (!use_kernel && !use_table)
		snprintf(s.kwhy, sizeof(s.kwhy), "%.300s", kernel_off);
	if (write(fd, &s, sizeof(s)) != (ssize_t)sizeof(s))
		_exit(3);
	_exit(0);
}

static const char *vname(int v)
{
	return v < 0 ? "-" : df_verdict_name((enum df_verdict)v);
}

static void ratio_add(struct ratio *r, double v)
{
	double *nv = realloc(r->v, (r->n + 1) * sizeof(*nv));

	if (!nv)
		exit(2);
	nv[r->n++] = v;
	r->v = nv;
}

static void tally(struct totals *t, const struct sample *s)
{
	int m;

	if (s->kernel.verdict >= 0) {
		t->kcompared++;
		t->kusec += s->kernel.usec;
	}
	t->kaccepted += s->kernel.verdict == DF_VERDICT_ACCEPT;
	for (m = 0; m < NMODES; m++) {
		const struct run_stats *r = &s->mode[m];

		t->usec[m] += r->usec;
		if (r->verdict != DF_VERDICT_ACCEPT)
			continue;
		t->accepted[m]++;
		if (s->kernel.verdict != DF_VERDICT_ACCEPT)
			continue;
		t->both[m]++;
		/* a kernel count of 0 states or 0 usec: compare with 1 */
		ratio_add(&t->states[m], (double)r->total_states /
			  (double)(s->kernel.total_states ? s->kernel.total_states : 1));
		ratio_add(&t->time[m], r->usec / (s->kernel.usec > 0 ? s->kernel.usec : 1.0));
	}
}

static void print_row(const char *name, const struct df_prog *prog, const struct sample *s)
{
	int m;

	printf("%-72s %6u", name, prog->insn_cnt);
	for (m = 0; m < NMODES; m++)
		printf(" | %-6.6s %7llu %6llu %9.0f", vname(s->mode[m].verdict),
		       (unsigned long long)s->mode[m].processed,
		       (unsigned long long)s->mode[m].total_states, s->mode[m].usec);
	if (s->kernel.verdict >= 0)
		printf(" | %-6.6s %7llu %6llu %5llu %9.0f", vname(s->kernel.verdict),
		       (unsigned long long)s->kernel.processed,
		       (unsigned long long)s->kernel.total_states,
		       (unsigned long long)s->kernel.peak_states, s->kernel.usec);
	else
		printf(" | -");
	if (s->kwhy[0] && (s->kernel.verdict < 0 || s->kernel.verdict == DF_VERDICT_REJECT))
		printf("  (kernel: %s)", s->kwhy);
	putchar('\n');
}

static void bench_file(const char *path, void *cookie)
{
	struct totals *t = cookie;
	DF_OPTS(df_open_opts, opts, .prog_type = ktypes_lookup(&types, path));
	struct df_object *obj;
	uint32_t i;

	if (df_object_open(path, &opts, &obj)) {
		printf("%-72s cannot be opened\n", path);
		return;
	}
	for (i = 0; i < obj->prog_cnt; i++) {
		const struct df_prog *prog = &obj->progs[i];
		char name[256];
		struct sample s;

		if (prog->err)
			continue;
		snprintf(name, sizeof(name), "%s:%s", path, prog->name);
		t->progs++;
		if (bench_fork(run_child, prog, &s, sizeof(s))) {
			t->crashed++;
			printf("%-72s %6u  crashed\n", name, prog->insn_cnt);
			continue;
		}
		if (use_table)
			table_stats(path, prog, &s);
		tally(t, &s);
		if (!quiet)
			print_row(name, prog, &s);
	}
	df_object_free(obj);
}

/* ------------------------------------------------------------------ */
/* Summary                                                            */
/* ------------------------------------------------------------------ */

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void print_ratio(const char *what, struct ratio *r, double target)
{
	size_t within = 0, i;
	double med;

	if (!r->n) {
		printf("    %-13s -\n", what);
		return;
	}
	qsort(r->v, r->n, sizeof(*r->v), cmp_double);
	for (i = 0; i < r->n; i++)
		within += r->v[i] <= target;
	med = r->n % 2 ? r->v[r->n / 2] : (r->v[r->n / 2 - 1] + r->v[r->n / 2]) / 2;
	printf("    %-13s median %.3f, worst %.3f, best %.3f; %zu of %zu within %.1fx\n", what,
	       med, r->v[r->n - 1], r->v[0], within, r->n, target);
}

static void summary(struct totals *t)
{
	int m;

	printf("\n%u programs%s", t->progs, t->crashed ? "" : "\n");
	if (t->crashed)
		printf(" (%u crashed)\n", t->crashed);
	printf("accepted: ");
	for (m = 0; m < NMODES; m++)
		printf("%s %u, ", modes[m]->name, t->accepted[m]);
	if (t->kcompared)
		printf("kernel %u (of the %u it verified%s)\n", t->kaccepted, t->kcompared,
		       use_table ? ", from the table" : "");
	else if (use_table)
		printf("kernel: none of these programs in the table\n");
	else
		printf("kernel not compared (%s)\n", kernel_off);
	printf("verification time (s): ");
	for (m = 0; m < NMODES; m++)
		printf("%s %.3f, ", modes[m]->name, t->usec[m] / 1e6);
	printf("kernel %.3f\n", t->kusec / 1e6);
	if (!t->kcompared)
		return;
	for (m = 0; m < NMODES; m++) {
		printf("  %s against the kernel, on the %u programs both accept:\n",
		       modes[m]->name, t->both[m]);
		print_ratio("total_states", &t->states[m], 1.2);
		print_ratio("time", &t->time[m], 1.0);
	}
}

int main(int argc, char **argv)
{
	struct totals t = { 0 };
	const char *types_path = KTYPES_DEFAULT;
	char why[1024];
	int i = 1, m;

	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "-q"))
			quiet = true;
		else if (!strcmp(argv[i], "--no-kernel"))
			use_kernel = false;
		else if (!strcmp(argv[i], "-r") && i + 1 < argc && atoi(argv[i + 1]) > 0)
			reps = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--table") && i + 1 < argc)
			table_path = argv[++i], table_forced = true;
		else if (!strcmp(argv[i], "--types") && i + 1 < argc)
			types_path = argv[++i];
		else
			break;
	}
	if (i >= argc || argv[i][0] == '-') {
		fprintf(stderr, "usage: bench_verify [-q] [-r N] [--no-kernel] [--table FILE] "
			"[--types FILE] FILE|DIR...\n");
		return 2;
	}
	if (!bench_paths_exist("bench_verify", argv + i, argc - i))
		return 2;
	if (*types_path && ktypes_load(types_path, &types, why, sizeof(why))) {
		fprintf(stderr, "bench_verify: %s\n", why);
		return 2;
	}
	modes[0] = &df_prune_exact;
	modes[1] = &df_prune_regs;
	modes[2] = &df_prune_full;
	if (!use_kernel)
		snprintf(kernel_off, sizeof(kernel_off), "--no-kernel");
	else if (table_forced)
		snprintf(kernel_off, sizeof(kernel_off), "--table was given");
	else if (kload_probe(why, sizeof(why)))
		snprintf(kernel_off, sizeof(kernel_off), "this process cannot load programs "
			 "(%.300s)", why);
	use_kernel = use_kernel && !kernel_off[0];
	if (use_kernel) {
		snprintf(kernel_source, sizeof(kernel_source), "loaded live");
	} else if (strcmp(kernel_off, "--no-kernel")) {
		char err[512];

		snprintf(why, sizeof(why), "%s", kernel_off);
		if (ktable_load(table_path, &table, err, sizeof(err))) {
			snprintf(kernel_off, sizeof(kernel_off), "%.400s; no table: %.500s", why,
				 err);
		} else {
			use_table = true;
			snprintf(kernel_source, sizeof(kernel_source), "from the table %s of "
				 "Linux %s: %s", table_path, table.release, why);
		}
	}
	if (!kernel_source[0])
		snprintf(kernel_source, sizeof(kernel_source), "not compared: %s", kernel_off);
	df_set_print(bench_silent);
	printf("%-72s %6s", "program", "insns");
	for (m = 0; m < NMODES; m++)
		printf(" | %-6.6s %7s %6s %9s", modes[m]->name, "insns", "states", "usec");
	printf(" | %-6s %7s %6s %5s %9s  (kernel %s)\n", "kernel", "insns", "states", "peak",
	       "usec", kernel_source);
	for (; i < argc; i++)
		if (dirlist_walk(argv[i], bench_file, &t))
			return 2;
	summary(&t);
	for (m = 0; m < NMODES; m++) {
		free(t.states[m].v);
		free(t.time[m].v);
	}
	ktable_free(&table);
	ktypes_free(&types);
	return t.crashed ? 1 : 0;
}

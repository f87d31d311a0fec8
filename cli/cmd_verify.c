/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * bpfdf verify: the verdict of the path-sensitive verifier per program, the
 * kernel's statistics lines, and (--compare) one veristat-style row per
 * program with the statistics of every pruning mode side by side.
 */
#include "cli.h"
#include "verify.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_LIMIT 1000000u
#define MAX_MODES 16

struct verify {
	struct cli_input in;
	const struct df_prune_mode *mode;	/* --prune or the last plug-in */
	const char *mode_name;
	bool stats, compare, interpreted, div_by_zero, state_freq;
	int log_level;
	uint32_t input_size;
	struct json j;
	FILE *out;
};

/* One program's results in every compared mode. */
struct row {
	const char *file;
	const char *prog;
	struct df_verify_result *res[MAX_MODES];
	int err[MAX_MODES];		/* df_verify's return when it could not run */
};

static const char *const formats[] = { "text", "json", "csv", NULL };

enum { FMT_IDX_TEXT, FMT_IDX_JSON, FMT_IDX_CSV };

static void help(void)
{
	printf("Usage: bpfdf verify [OPTIONS] FILE\n"
	       "       bpfdf verify --compare [OPTIONS] FILE...\n"
	       "\n"
	       "Verify each program on every path, as the kernel verifier does, with\n"
	       "stack arguments and liveness-aware state pruning. Prints the verdict per\n"
	       "program (accept, reject, unsupported, limit) and, when it is not\n"
	       "accepted, one line 'FILE: section 'SEC': pc N: MESSAGE'.\n"
	       "\n"
	       "  -m, --prune MODE       pruning mode: exact, regs, full (default) or one\n"
	       "                         loaded with --prune-plugin\n"
	       "      --prune-plugin SO  load a pruning mode from a shared object and use it\n"
	       "  -s, --stats            the kernel's statistics lines, prune hits and time\n"
	       "  -c, --compare          one row per program with every mode side by side\n"
	       "  -v, --verbose          the path and states that led to a rejection\n"
	       "      --log-level N      verifier log: 1 on rejection, 2 every instruction\n"
	       "      --interpreted      the program runs in the interpreter, not a JIT\n"
	       "      --div-by-zero      warn about possible division by zero\n"
	       "      --state-freq       a checkpoint at every prune point\n"
	       "      --input-size N     r1 is a flat buffer of N bytes, r2 its length\n"
	       "  -p, --prog NAME        only this program\n"
	       "  -f, --format FMT       text (default), json or csv\n"
	       "  -t, --type TYPE        program type instead of the guessed one\n"
	       "  -I, --input KIND       elf, raw or asm instead of guessing\n"
	       "\n"
	       "Exit status: 0 every program accepted, 1 a program was rejected, is\n"
	       "unsupported or over the complexity limit (or could not be loaded),\n"
	       "2 usage or I/O error.\n");
}

static int parse_uint(const char *opt, const char *arg, uint32_t min, uint32_t *out)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(arg, &end, 0);
	if (errno || end == arg || *end || arg[0] == '-' || v < min || v > UINT32_MAX) {
		cli_usage_error("verify", "%s wants a number >= %u, got '%s'", opt, min, arg);
		return EXIT_USAGE;
	}
	*out = (uint32_t)v;
	return 0;
}

static int verify_opt(void *cookie, int opt, const char *arg)
{
	struct verify *v = cookie;
	uint32_t n;

	switch (opt) {
	case 'm':
		v->mode_name = arg;
		return 0;
	case 'x':
		if (df_prune_mode_load(arg, &v->mode)) {
			fprintf(stderr, "%s verify: cannot load pruning mode from %s\n",
				cli_progname, arg);
			return EXIT_USAGE;
		}
		return 0;
	case 's':
		v->stats = true;
		return 0;
	case 'c':
		v->compare = true;
		return 0;
	case 'v':
		if (v->log_level < 1)
			v->log_level = 1;
		return 0;
	case 'L':
		if (parse_uint("--log-level", arg, 0, &n))
			return EXIT_USAGE;
		if (n > 2) {
			cli_usage_error("verify", "--log-level is 0, 1 or 2, got '%s'", arg);
			return EXIT_USAGE;
		}
		v->log_level = (int)n;
		return 0;
	case 'i':
		v->interpreted = true;
		return 0;
	case 'z':
		v->div_by_zero = true;
		return 0;
	case 'F':
		v->state_freq = true;
		return 0;
	case 'n':
		return parse_uint("--input-size", arg, 1, &v->input_size);
	}
	return EXIT_USAGE;
}

static const struct option verify_longopts[] = {
	{ "prune", required_argument, NULL, 'm' },
	{ "prune-plugin", required_argument, NULL, 'x' },
	{ "stats", no_argument, NULL, 's' },
	{ "compare", no_argument, NULL, 'c' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "log-level", required_argument, NULL, 'L' },
	{ "interpreted", no_argument, NULL, 'i' },
	{ "div-by-zero", no_argument, NULL, 'z' },
	{ "state-freq", no_argument, NULL, 'F' },
	{ "input-size", required_argument, NULL, 'n' },
	{ 0 }
};

#define VERIFY_SHORTOPTS "m:scv"

/*
 * --compare takes several files but the shared parser wants one: find the
 * operands first with the same option table, then let cli_parse() see the
 * options and the first file. Returns the operand count; argv is permuted
 * so that the operands come last, from argv[argc - count].
 */
static int count_operands(int argc, char **argv)
{
	static const struct option input[] = {
		{ "prog", required_argument, NULL, 'p' },
		{ "type", required_argument, NULL, 't' },
		{ "input", required_argument, NULL, 'I' },
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
	};
	struct option opts[32];
	size_t n = 0, i;
	int old = opterr;

	for (i = 0; i < sizeof(input) / sizeof(input[0]); i++)
		opts[n++] = input[i];
	for (i = 0; verify_longopts[i].name; i++)
		opts[n++] = verify_longopts[i];
	opts[n] = (struct option){ 0 };
	opterr = 0;
	optind = 0;
	while (getopt_long(argc, argv, "hp:t:I:f:" VERIFY_SHORTOPTS, opts, NULL) != -1)
		;
	opterr = old;
	return argc - optind;
}

static int parse_args(struct verify *v, int argc, char **argv, char ***files, int *nfiles)
{
	static const struct cli_cmd cmd = {
		.name = "verify", .input_opts = true, .formats = formats,
		.shortopts = VERIFY_SHORTOPTS, .longopts = verify_longopts,
		.opt = verify_opt, .help = help,
	};
	int ops = count_operands(argc, argv), rc;

	rc = cli_parse(&cmd, ops > 1 ? argc - ops + 1 : argc, argv, &v->in, v);
	if (rc >= 0)
		return rc == EXIT_OK ? -1 : rc;
	if (!v->compare && ops > 1) {
		cli_usage_error("verify", "expected one FILE (several only with --compare)");
		return EXIT_USAGE;
	}
	*files = argv + argc - ops;
	*nfiles = ops;
	if (v->mode_name) {
		v->mode = df_prune_mode_find(v->mode_name);
		if (!v->mode) {
			uint32_t k, n = df_prune_mode_cnt();

			fprintf(stderr, "%s verify: unknown pruning mode '%s'; known:",
				cli_progname, v->mode_name);
			for (k = 0; k < n; k++)
				fprintf(stderr, "%s %s", k ? "," : "", df_prune_mode_at(k)->name);
			fprintf(stderr, "\n");
			return EXIT_USAGE;
		}
		if (v->compare) {
			cli_usage_error("verify", "--compare runs every mode; --prune does not apply");
			return EXIT_USAGE;
		}
	}
	if (!v->mode)
		v->mode = &df_prune_full;
	return EXIT_OK;
}

/* ------------------------------------------------------------------ */
/* Running                                                            */
/* ------------------------------------------------------------------ */

/* The log goes with the text output, or to stderr when stdout holds JSON or CSV. */
static FILE *log_file(const struct verify *v)
{
	if (!v->log_level)
		return NULL;
	return v->in.format_idx == FMT_IDX_TEXT ? v->out : stderr;
}

static int run(const struct verify *v, const struct df_prog *prog,
	       const struct df_prune_mode *mode, FILE *log, struct df_verify_result **res)
{
	DF_OPTS(df_verify_opts, opts, .mode = mode, .div_by_zero = v->div_by_zero,
		.interpreted = v->interpreted, .state_freq = v->state_freq,
		.input_size = v->input_size, .log = log, .log_level = log ? v->log_level : 0);

	*res = NULL;
	return df_verify(prog, &opts, res);
}

/* Exit code of one result. */
static int status_of(const struct df_verify_result *res, int err)
{
	if (err == -ENOMEM)
		return EXIT_USAGE;
	if (err || !res)
		return EXIT_REJECTED;
	return res->verdict == DF_VERDICT_ACCEPT ? EXIT_OK : EXIT_REJECTED;
}

static const char *verdict_str(const struct df_verify_result *res, int err)
{
	if (err || !res)
		return "error";
	return df_verdict_name(res->verdict);
}

/* The rejection in the library's error format, without a newline. */
static void reject_line(char *buf, size_t len, const char *file, const struct df_prog *prog,
			const struct df_verify_result *res, int err)
{
	char msg[300];

	if (err)
		snprintf(msg, sizeof(msg), "verification could not run: %s", strerror(-err));
	else
		snprintf(msg, sizeof(msg), "%s", res->msg);
	if (prog->section && !err && res->err_pc >= 0)
		snprintf(buf, len, "%s: section '%s': pc %lld: %s", file, prog->section,
			 (long long)res->err_pc, msg);
	else if (prog->section)
		snprintf(buf, len, "%s: section '%s': %s", file, prog->section, msg);
	else if (!err && res->err_pc >= 0)
		snprintf(buf, len, "%s: pc %lld: %s", file, (long long)res->err_pc, msg);
	else
		snprintf(buf, len, "%s: %s", file, msg);
}

/* ------------------------------------------------------------------ */
/* One mode: text, JSON, CSV                                          */
/* ------------------------------------------------------------------ */

static void text_stats(FILE *f, const struct df_verify_result *res)
{
	const struct df_verify_stats *s = &res->stats;
	uint32_t i;

	fprintf(f, "verification time %llu usec\n", (unsigned long long)(s->time_ns / 1000));
	fprintf(f, "stack depth ");
	for (i = 0; i < res->subprog_cnt; i++)
		fprintf(f, "%s%u", i ? "+" : "", res->subprogs[i].stack_depth);
	fprintf(f, "\n");
	fprintf(f, "processed %llu insns (limit %u) max_states_per_insn %llu total_states %llu "
		"peak_states %llu mark_read 0\n", (unsigned long long)s->processed, DEFAULT_LIMIT,
		(unsigned long long)s->max_states_per_insn, (unsigned long long)s->total_states,
		(unsigned long long)s->peak_states);
	fprintf(f, "prune hits %llu, time %.3f ms\n", (unsigned long long)s->prune_hits,
		(double)s->time_ns / 1e6);
}

static void json_result(struct json *j, const struct df_verify_result *res, int err)
{
	const struct df_verify_stats *s;
	uint32_t i;

	json_str(j, "verdict", verdict_str(res, err));
	if (err || !res) {
		json_str(j, "message", strerror(err ? -err : EINVAL));
		return;
	}
	if (res->verdict != DF_VERDICT_ACCEPT) {
		if (res->err_pc >= 0)
			json_int(j, "pc", res->err_pc);
		else
			json_null(j, "pc");
		json_str(j, "message", res->msg);
	}
	json_uint(j, "warnings", res->warn_cnt);
	s = &res->stats;
	json_obj_open(j, "stats");
	json_uint(j, "processed", s->processed);
	json_uint(j, "total_states", s->total_states);
	json_uint(j, "peak_states", s->peak_states);
	json_uint(j, "max_states_per_insn", s->max_states_per_insn);
	json_uint(j, "prune_hits", s->prune_hits);
	json_uint(j, "time_ns", s->time_ns);
	json_obj_close(j);
	json_arr_open(j, "subprogs");
	for (i = 0; i < res->subprog_cnt; i++) {
		const struct df_verify_subprog *sp = &res->subprogs[i];

		json_obj_open(j, NULL);
		json_uint(j, "start", sp->start);
		json_uint(j, "stack_depth", sp->stack_depth);
		json_uint(j, "arg_cnt", sp->arg_cnt);
		json_uint(j, "in_cnt", sp->in_cnt);
		json_uint(j, "stack_arg_cnt", sp->stack_arg_cnt);
		json_uint(j, "max_out", sp->max_out);
		json_obj_close(j);
	}
	json_arr_close(j);
}

/* RFC 4180: quote when needed, double the quotes. */
static void csv_field(FILE *f, const char *s, bool last)
{
	if (strpbrk(s, ",\"\r\n")) {
		fputc('"', f);
		for (; *s; s++) {
			if (*s == '"')
				fputc('"', f);
			fputc(*s, f);
		}
		fputc('"', f);
	} else {
		fputs(s, f);
	}
	fputc(last ? '\n' : ',', f);
}

static void csv_num(FILE *f, unsigned long long v, bool last)
{
	fprintf(f, "%llu%c", v, last ? '\n' : ',');
}

static const char *const csv_header =
	"file,program,section,mode,verdict,pc,message,processed,total_states,peak_states,"
	"max_states_per_insn,prune_hits,time_ns\n";

static void csv_result(FILE *f, const char *file, const struct df_prog *prog,
		       const char *mode, const struct df_verify_result *res, int err)
{
	const struct df_verify_stats *s;
	char pc[24] = "";

	csv_field(f, file, false);
	csv_field(f, prog->name, false);
	csv_field(f, prog->section ? prog->section : "", false);
	csv_field(f, mode, false);
	csv_field(f, verdict_str(res, err), false);
	if (err || !res) {
		fprintf(f, ",");
		csv_field(f, strerror(err ? -err : EINVAL), false);
		fprintf(f, ",,,,,\n");
		return;
	}
	if (res->verdict != DF_VERDICT_ACCEPT && res->err_pc >= 0)
		snprintf(pc, sizeof(pc), "%lld", (long long)res->err_pc);
	csv_field(f, pc, false);
	csv_field(f, res->verdict == DF_VERDICT_ACCEPT ? "" : res->msg, false);
	s = &res->stats;
	csv_num(f, s->processed, false);
	csv_num(f, s->total_states, false);
	csv_num(f, s->peak_states, false);
	csv_num(f, s->max_states_per_insn, false);
	csv_num(f, s->prune_hits, false);
	csv_num(f, s->time_ns, true);
}

static int verify_prog(struct verify *v, const struct df_prog *prog)
{
	struct df_verify_result *res = NULL;
	FILE *log = log_file(v);
	char line[700];
	int err, rc;

	if (log && v->in.format_idx == FMT_IDX_TEXT)
		fflush(v->out);
	err = run(v, prog, v->mode, log, &res);
	if (log)
		fflush(log);
	rc = status_of(res, err);
	switch (v->in.format_idx) {
	case FMT_IDX_JSON:
		json_obj_open(&v->j, NULL);
		json_str(&v->j, "name", prog->name);
		json_str(&v->j, "section", prog->section);
		json_str(&v->j, "mode", v->mode->name);
		json_result(&v->j, res, err);
		json_obj_close(&v->j);
		break;
	case FMT_IDX_CSV:
		csv_result(v->out, v->in.path, prog, v->mode->name, res, err);
		break;
	default:
		fprintf(v->out, "%s: %s\n", prog->name, verdict_str(res, err));
		if (rc) {
			reject_line(line, sizeof(line), v->in.path, prog, res, err);
			fprintf(v->out, "%s\n", line);
		}
		if (v->stats && res && !err)
			text_stats(v->out, res);
		break;
	}
	df_verify_result_free(res);
	return rc;
}

/* ------------------------------------------------------------------ */
/* --compare                                                          */
/* ------------------------------------------------------------------ */

struct table {
	struct row *rows;
	uint32_t cnt;
	const struct df_prune_mode *modes[MAX_MODES];
	uint32_t mode_cnt;
	uint32_t unloaded;	/* programs that could not be loaded */
};

static int compare_prog(struct verify *v, struct table *t, const char *file,
			const struct df_prog *prog)
{
	struct row *r, *nr = realloc(t->rows, (t->cnt + 1) * sizeof(*t->rows));
	int rc = EXIT_OK, s;
	uint32_t m;

	if (!nr)
		return EXIT_USAGE;
	t->rows = nr;
	r = &t->rows[t->cnt++];
	memset(r, 0, sizeof(*r));
	r->file = file;
	r->prog = strdup(prog->name);
	if (!r->prog)
		return EXIT_USAGE;
	for (m = 0; m < t->mode_cnt; m++) {
		r->err[m] = run(v, prog, t->modes[m], log_file(v), &r->res[m]);
		s = status_of(r->res[m], r->err[m]);
		if (s > rc)
			rc = s;
	}
	return rc;
}

static bool row_agrees(const struct table *t, const struct row *r)
{
	uint32_t m;

	for (m = 1; m < t->mode_cnt; m++)
		if (strcmp(verdict_str(r->res[m], r->err[m]), verdict_str(r->res[0], r->err[0])))
			return false;
	return true;
}

/* Column values of a row: metric k of mode m. */
enum { COL_VERDICT, COL_INSNS, COL_STATES, COL_PEAK, COL_TIME, COL_CNT };
static const char *const col_names[COL_CNT] = {
	"Verdict", "Insns", "States", "Peak", "Time(us)",
};

static void cell(char *buf, size_t len, const struct row *r, uint32_t m, int k)
{
	const struct df_verify_result *res = r->res[m];

	if (k == COL_VERDICT) {
		snprintf(buf, len, "%s", verdict_str(res, r->err[m]));
		return;
	}
	if (r->err[m] || !res) {
		snprintf(buf, len, "-");
		return;
	}
	switch (k) {
	case COL_INSNS:
		snprintf(buf, len, "%llu", (unsigned long long)res->stats.processed);
		break;
	case COL_STATES:
		snprintf(buf, len, "%llu", (unsigned long long)res->stats.total_states);
		break;
	case COL_PEAK:
		snprintf(buf, len, "%llu", (unsigned long long)res->stats.peak_states);
		break;
	default:
		snprintf(buf, len, "%llu", (unsigned long long)(res->stats.time_ns / 1000));
		break;
	}
}

static void text_table(FILE *f, const struct table *t)
{
	size_t wfile = 4, wprog = 7, w[COL_CNT][MAX_MODES], n;
	uint32_t i, m, agree = 0, acc[MAX_MODES] = { 0 };
	char buf[64], head[64];
	int k;

	for (k = 0; k < COL_CNT; k++)
		for (m = 0; m < t->mode_cnt; m++) {
			w[k][m] = (size_t)snprintf(head, sizeof(head), "%s (%s)", col_names[k],
						   t->modes[m]->name);
			for (i = 0; i < t->cnt; i++) {
				cell(buf, sizeof(buf), &t->rows[i], m, k);
				if ((n = strlen(buf)) > w[k][m])
					w[k][m] = n;
			}
		}
	for (i = 0; i < t->cnt; i++) {
		if ((n = strlen(t->rows[i].file)) > wfile)
			wfile = n;
		if ((n = strlen(t->rows[i].prog)) > wprog)
			wprog = n;
	}
	fprintf(f, "%-*s  %-*s", (int)wfile, "File", (int)wprog, "Program");
	for (k = 0; k < COL_CNT; k++)
		for (m = 0; m < t->mode_cnt; m++) {
			snprintf(head, sizeof(head), "%s (%s)", col_names[k], t->modes[m]->name);
			fprintf(f, "  %*s", (int)w[k][m], head);
		}
	fputc('\n', f);
	for (i = 0; i < t->cnt; i++) {
		const struct row *r = &t->rows[i];

		fprintf(f, "%-*s  %-*s", (int)wfile, r->file, (int)wprog, r->prog);
		for (k = 0; k < COL_CNT; k++)
			for (m = 0; m < t->mode_cnt; m++) {
				cell(buf, sizeof(buf), r, m, k);
				fprintf(f, k == COL_VERDICT ? "  %-*s" : "  %*s", (int)w[k][m], buf);
			}
		fputc('\n', f);
		agree += row_agrees(t, r);
		for (m = 0; m < t->mode_cnt; m++)
			acc[m] += r->res[m] && !r->err[m] &&
				  r->res[m]->verdict == DF_VERDICT_ACCEPT;
	}
	fprintf(f, "\n%u programs", t->cnt);
	if (t->unloaded)
		fprintf(f, " (%u more could not be loaded)", t->unloaded);
	fprintf(f, "; accepted:");
	for (m = 0; m < t->mode_cnt; m++)
		fprintf(f, "%s %s %u", m ? "," : "", t->modes[m]->name, acc[m]);
	fprintf(f, "; verdicts agree on %u of %u\n", agree, t->cnt);
}

static void csv_table(FILE *f, const struct table *t)
{
	char buf[64];
	uint32_t i, m;
	int k;

	fprintf(f, "file,program");
	for (k = 0; k < COL_CNT; k++)
		for (m = 0; m < t->mode_cnt; m++)
			fprintf(f, ",%s_%s", k == COL_TIME ? "time_us" : k == COL_VERDICT ?
				"verdict" : k == COL_INSNS ? "processed" : k == COL_STATES ?
				"total_states" : "peak_states", t->modes[m]->name);
	fputc('\n', f);
	for (i = 0; i < t->cnt; i++) {
		csv_field(f, t->rows[i].file, false);
		csv_field(f, t->rows[i].prog, false);
		for (k = 0; k < COL_CNT; k++)
			for (m = 0; m < t->mode_cnt; m++) {
				cell(buf, sizeof(buf), &t->rows[i], m, k);
				csv_field(f, strcmp(buf, "-") ? buf : "",
					  k == COL_CNT - 1 && m == t->mode_cnt - 1);
			}
	}
}

static void json_table(struct json *j, const struct table *t)
{
	uint32_t i, m;

	json_arr_open(j, "modes");
	for (m = 0; m < t->mode_cnt; m++)
		json_str(j, NULL, t->modes[m]->name);
	json_arr_close(j);
	json_uint(j, "unloaded", t->unloaded);
	json_arr_open(j, "programs");
	for (i = 0; i < t->cnt; i++) {
		const struct row *r = &t->rows[i];

		json_obj_open(j, NULL);
		json_str(j, "file", r->file);
		json_str(j, "name", r->prog);
		json_bool(j, "agree", row_agrees(t, r));
		json_obj_open(j, "modes");
		for (m = 0; m < t->mode_cnt; m++) {
			json_obj_open(j, t->modes[m]->name);
			json_result(j, r->res[m], r->err[m]);
			json_obj_close(j);
		}
		json_obj_close(j);
		json_obj_close(j);
	}
	json_arr_close(j);
}

static int compare_file(struct verify *v, struct table *t, const char *file)
{
	struct df_object *obj = NULL;
	struct df_prog **progs = NULL;
	uint32_t i, cnt = 0, bad = 0;
	int rc, prc;

	v->in.path = file;
	rc = cli_open(&v->in, &obj);
	if (rc)
		return rc;
	rc = cli_select(&v->in, obj, &progs, &cnt, &bad);
	t->unloaded += bad;
	for (i = 0; i < cnt; i++) {
		prc = compare_prog(v, t, file, progs[i]);
		if (prc > rc)
			rc = prc;
	}
	rc = cli_status(rc, bad, obj);
	free(progs);
	df_object_free(obj);
	return rc;
}

static int compare(struct verify *v, char **files, int nfiles)
{
	struct table t = { 0 };
	uint32_t i, m, n = df_prune_mode_cnt();
	int rc = EXIT_OK, frc, f;

	for (i = 0; i < n && t.mode_cnt < MAX_MODES; i++)
		t.modes[t.mode_cnt++] = df_prune_mode_at(i);
	for (f = 0; f < nfiles; f++) {
		frc = compare_file(v, &t, files[f]);
		if (frc > rc)
			rc = frc;
	}
	switch (v->in.format_idx) {
	case FMT_IDX_JSON:
		json_begin(&v->j, v->out);
		json_obj_open(&v->j, NULL);
		json_table(&v->j, &t);
		json_obj_close(&v->j);
		json_end(&v->j);
		break;
	case FMT_IDX_CSV:
		csv_table(v->out, &t);
		break;
	default:
		text_table(v->out, &t);
		break;
	}
	for (i = 0; i < t.cnt; i++) {
		for (m = 0; m < t.mode_cnt; m++)
			df_verify_result_free(t.rows[i].res[m]);
		free((char *)t.rows[i].prog);
	}
	free(t.rows);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Driver                                                             */
/* ------------------------------------------------------------------ */

int cmd_verify(int argc, char **argv)
{
	struct verify v = { .out = stdout };
	struct df_object *obj = NULL;
	struct df_prog **progs = NULL;
	uint32_t i, cnt = 0, bad = 0;
	char **files = NULL;
	int rc, prc, nfiles = 0;

	rc = parse_args(&v, argc, argv, &files, &nfiles);
	if (rc)
		return rc < 0 ? EXIT_OK : rc;
	if (v.compare)
		return compare(&v, files, nfiles);
	rc = cli_open(&v.in, &obj);
	if (rc)
		return rc;
	rc = cli_select(&v.in, obj, &progs, &cnt, &bad);
	if (v.in.format_idx == FMT_IDX_JSON) {
		json_begin(&v.j, stdout);
		json_obj_open(&v.j, NULL);
		json_str(&v.j, "file", obj->path);
		json_arr_open(&v.j, "programs");
	} else if (v.in.format_idx == FMT_IDX_CSV) {
		fputs(csv_header, v.out);
	}
	for (i = 0; i < cnt; i++) {
		prc = verify_prog(&v, progs[i]);
		if (prc > rc)
			rc = prc;
	}
	if (v.in.format_idx == FMT_IDX_JSON) {
		json_arr_close(&v.j);
		json_obj_close(&v.j);
		json_end(&v.j);
	}
	rc = cli_status(rc, bad, obj);
	free(progs);
	df_object_free(obj);
	return rc;
}

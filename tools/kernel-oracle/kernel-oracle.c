/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kernel-oracle: load every program of the given objects into the running
 * kernel and write the verifier's verdict, first error line, processed
 * instructions, total and peak states and verification time as one row per
 * program (ktable.h, docs/kernel-agreement.md). The table is the reference
 * the agreement test compares `bpfdf verify` with on hosts where bpf() is
 * refused.
 *
 *   kernel-oracle [-o FILE] [--base DIR] [--types FILE] [--log-level N] OBJ|DIR...
 */
#include "kload.h"
#include "ktable.h"
#include "ktypes.h"
#include "dirlist.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>

#define EXIT_USAGE 2

struct oracle {
	const char *base;
	struct ktypes types;
	int log_level;
	struct ktable_row *rows;
	size_t cnt, cap;
	bool oom;
};

/* The library's last warning: why an object did not open. */
static char last_warning[256];

static int keep_warning(enum df_print_level level, const char *fmt, va_list ap)
{
	size_t n;

	if (level != DF_WARN)
		return 0;
	vsnprintf(last_warning, sizeof(last_warning), fmt, ap);
	n = strlen(last_warning);
	while (n && last_warning[n - 1] == '\n')
		last_warning[--n] = 0;
	return (int)n;
}

static void usage(FILE *f)
{
	fprintf(f, "Usage: kernel-oracle [-o FILE] [--base DIR] [--types FILE] [--log-level N]\n"
		"                     OBJ|DIR...\n"
		"\n"
		"Load every program of the objects (directories are walked recursively)\n"
		"into the running kernel and write one tab-separated row per program:\n"
		"the verifier's verdict, first error line, processed insns, total and\n"
		"peak states and verification time. Needs root.\n"
		"\n"
		"  -o, --output FILE     write the table to FILE instead of stdout\n"
		"  -b, --base DIR        object paths in the table relative to DIR\n"
		"  -t, --types FILE      program types of objects whose section names do\n"
		"                        not give them (lines GLOB TYPE)\n"
		"  -l, --log-level N     verifier log level 1 to 7 (default 4, the\n"
		"                        statistics only, which is always added)\n"
		"  -h, --help            this text\n"
		"\n"
		"Exit status: 0 table written, 2 usage error, I/O error or bpf() refused.\n");
}

static char *xstrdup(struct oracle *o, const char *s)
{
	char *d = strdup(s ? s : "");

	if (!d)
		o->oom = true;
	return d;
}

static struct ktable_row *new_row(struct oracle *o, const char *object)
{
	struct ktable_row *r;

	if (o->cnt == o->cap) {
		size_t cap = o->cap ? o->cap * 2 : 256;
		struct ktable_row *nr = realloc(o->rows, cap * sizeof(*nr));

		if (!nr) {
			o->oom = true;
			return NULL;
		}
		o->rows = nr;
		o->cap = cap;
	}
	r = &o->rows[o->cnt++];
	memset(r, 0, sizeof(*r));
	r->processed = r->total_states = r->peak_states = r->usec = -1;
	r->object = xstrdup(o, object);
	return r;
}

/* path relative to --base when it lies under it. */
static const char *relative(const struct oracle *o, const char *path)
{
	size_t n;

	if (!o->base)
		return path;
	n = strlen(o->base);
	while (n > 1 && o->base[n - 1] == '/')
		n--;
	if (!strncmp(path, o->base, n) && path[n] == '/')
		return path + n + 1;
	return path;
}

static void error_row(struct oracle *o, const char *rel, const char *why)
{
	struct ktable_row *r = new_row(o, rel);

	if (!r)
		return;
	r->program = xstrdup(o, "-");
	r->section = xstrdup(o, "-");
	r->type = xstrdup(o, "-");
	r->verdict = KT_ERROR;
	r->msg = xstrdup(o, why);
}

static void prog_row(struct oracle *o, const char *rel, const struct df_prog *prog)
{
	struct ktable_row *r = new_row(o, rel);
	struct kload_result k;
	const char *tname;

	if (!r)
		return;
	r->program = xstrdup(o, prog->name);
	r->section = xstrdup(o, prog->section ? prog->section : "-");
	if (kload_load(prog, o->log_level, false, &k)) {
		o->oom = true;
		return;
	}
	tname = df_prog_type_name(k.type);
	r->type = xstrdup(o, tname ? tname : "unknown");
	r->verdict = k.verdict == KLOAD_ACCEPT ? KT_ACCEPT :
		     k.verdict == KLOAD_REJECT ? KT_REJECT : KT_SKIP;
	if (k.have_stats) {
		r->processed = (int64_t)k.processed;
		r->total_states = (int64_t)k.total_states;
		r->peak_states = (int64_t)k.peak_states;
	}
	if (k.have_time)
		r->usec = (int64_t)k.usec;
	r->msg = xstrdup(o, k.msg);
}

static void object_rows(struct oracle *o, const char *path)
{
	const char *rel = relative(o, path);
	DF_OPTS(df_open_opts, opts, .kind = DF_INPUT_ELF,
		.prog_type = ktypes_lookup(&o->types, rel));
	struct df_object *obj = NULL;
	uint32_t i;
	int err;

	last_warning[0] = 0;
	err = df_object_open(path, &opts, &obj);
	if (err) {
		char why[512];
		size_t n = strlen(path);

		/* "PATH: what is wrong": the path is the row's */
		if (!strncmp(last_warning, path, n) && !strncmp(last_warning + n, ": ", 2))
			n += 2;
		else
			n = 0;
		snprintf(why, sizeof(why), "bpfdf cannot open it: %s", last_warning[0] ?
			 last_warning + n : strerror(-err));
		error_row(o, rel, why);
		return;
	}
	if (!obj->prog_cnt)
		error_row(o, rel, "no programs in the object");
	for (i = 0; i < obj->prog_cnt; i++)
		prog_row(o, rel, &obj->progs[i]);
	df_object_free(obj);
}

static bool has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcmp(s + n - m, suffix);
}

/* Every file under dir; documentation (*.md) is left out with a note. */
static int walk(struct oracle *o, const char *dir)
{
	char **v;
	size_t n, i;
	int rc = dirlist(dir, &v, &n);

	if (rc == -ENOMEM) {
		o->oom = true;
		return 0;
	}
	if (rc) {
		fprintf(stderr, "kernel-oracle: %s: %s\n", dir, strerror(-rc));
		return -1;
	}
	for (i = 0; i < n && !rc && !o->oom; i++) {
		struct stat st;

		if (stat(v[i], &st))
			error_row(o, relative(o, v[i]), strerror(errno));
		else if (S_ISDIR(st.st_mode))
			rc = walk(o, v[i]);
		else if (has_suffix(v[i], ".md"))
			fprintf(stderr, "kernel-oracle: %s: not an object (documentation), "
				"left out\n", v[i]);
		else
			object_rows(o, v[i]);
	}
	dirlist_free(v, n);
	return rc;
}

static int write_table(struct oracle *o, FILE *f, const char *out)
{
	struct utsname u;
	size_t i;
	int rc;

	if (uname(&u))
		snprintf(u.release, sizeof(u.release), "unknown");
	qsort(o->rows, o->cnt, sizeof(*o->rows), ktable_row_cmp);
	ktable_write_header(f, u.release);
	for (i = 0; i < o->cnt; i++)
		ktable_write_row(f, &o->rows[i]);
	rc = ferror(f);
	if (out)
		rc |= fclose(f);
	else
		rc |= fflush(f);
	if (rc) {
		fprintf(stderr, "kernel-oracle: %s: write error\n", out ? out : "stdout");
		return EXIT_USAGE;
	}
	return 0;
}

static void summary(const struct oracle *o)
{
	size_t n[4] = { 0 }, i;

	for (i = 0; i < o->cnt; i++)
		n[o->rows[i].verdict]++;
	fprintf(stderr, "kernel-oracle: %zu rows: %zu accepted, %zu rejected, %zu skipped, "
		"%zu objects that do not open\n", o->cnt, n[KT_ACCEPT], n[KT_REJECT],
		n[KT_SKIP], n[KT_ERROR]);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "base", required_argument, NULL, 'b' },
		{ "log-level", required_argument, NULL, 'l' },
		{ "types", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	struct oracle o = { .log_level = 4 };
	const char *out = NULL, *types = NULL;
	char why[512], *end;
	FILE *f;
	int c, i, rc = 0;
	size_t k;
	long v;

	while ((c = getopt_long(argc, argv, "o:b:l:t:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'o':
			out = optarg;
			break;
		case 'b':
			o.base = optarg;
			break;
		case 'l':
			v = strtol(optarg, &end, 10);
			if (*end || end == optarg || v < 1 || v > 7) {
				fprintf(stderr, "kernel-oracle: --log-level wants 1 to 7, got "
					"'%s'\n", optarg);
				return EXIT_USAGE;
			}
			o.log_level = (int)v | 4;
			break;
		case 't':
			types = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "kernel-oracle: expected at least one OBJ or DIR\n");
		usage(stderr);
		return EXIT_USAGE;
	}
	for (i = optind; i < argc; i++) {
		struct stat st;

		if (stat(argv[i], &st)) {
			fprintf(stderr, "kernel-oracle: %s: %s\n", argv[i], strerror(errno));
			return EXIT_USAGE;
		}
	}
	if (kload_probe(why, sizeof(why))) {
		fprintf(stderr, "kernel-oracle: cannot load programs into the kernel: %s\n",
			why);
		return EXIT_USAGE;
	}
	if (types && ktypes_load(types, &o.types, why, sizeof(why))) {
		fprintf(stderr, "kernel-oracle: %s\n", why);
		return EXIT_USAGE;
	}
	f = out ? fopen(out, "w") : stdout;
	if (!f) {
		fprintf(stderr, "kernel-oracle: %s: %s\n", out, strerror(errno));
		ktypes_free(&o.types);
		return EXIT_USAGE;
	}
	df_set_print(keep_warning);
	for (i = optind; i < argc && !rc && !o.oom; i++) {
		struct stat st;

		if (!stat(argv[i], &st) && S_ISDIR(st.st_mode))
			rc = walk(&o, argv[i]);
		else
			object_rows(&o, argv[i]);
	}
	if (o.oom) {
		fprintf(stderr, "kernel-oracle: out of memory\n");
		rc = EXIT_USAGE;
	}
	if (!rc)
		rc = write_table(&o, f, out);
	else if (out)
		fclose(f);
	if (rc)
		rc = EXIT_USAGE;
	if (!rc)
		summary(&o);
	for (k = 0; k < o.cnt; k++) {
		struct ktable_row *r = &o.rows[k];

		free(r->object);
		free(r->program);
		free(r->section);
		free(r->type);
		free(r->msg);
	}
	free(o.rows);
	ktypes_free(&o.types);
	return rc;
}

/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The engine's timeline as one self-contained HTML page (docs/viz.md): the
 * CFG as inline SVG whose block groups carry the ids "b<block>", a
 * numbered list of steps (visits with the states in and out of the block,
 * joins and widenings with the old and new states, calls, returns,
 * convergence) and a little inline script: clicking a step highlights its
 * block and shows its states; a "#click=N" fragment clicks step N on load.
 */
#include "viz_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define MAX_STEPS 10000

struct step {
	enum df_event_kind kind;
	uint32_t context, subprog, depth, block;
	uint32_t pc, to_pc;
	bool changed;
	char *before, *after;
};

struct recorder {
	const struct df_analysis *a;
	struct step *s;
	uint32_t n, cap;
	bool truncated;
	bool in_visit;		/* the last step is a visit still seeing transfers */
	uint64_t events;
};

static char *state_str(const struct df_ctx *c, const struct df_analysis *a, const void *st)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	if (!st)
		return strdup("(none)");
	if (!a->print)
		return strdup("");
	f = open_memstream(&buf, &len);
	if (!f)
		return NULL;
	a->print(c, st, f);
	if (fclose(f)) {
		free(buf);
		return NULL;
	}
	return buf;
}

static struct step *new_step(struct recorder *r, const struct df_ctx *c,
			     const struct df_event *ev)
{
	struct step *s;

	if (r->n == MAX_STEPS) {
		r->truncated = true;
		return NULL;
	}
	if (r->n == r->cap) {
		uint32_t cap = r->cap ? 2 * r->cap : 256;

		s = realloc(r->s, cap * sizeof(*s));
		if (!s) {
			r->truncated = true;
			return NULL;
		}
		r->s = s;
		r->cap = cap;
	}
	s = &r->s[r->n++];
	*s = (struct step){ .kind = ev->kind, .context = ev->context, .subprog = c->subprog,
			    .depth = c->depth, .block = ev->block, .pc = ev->pc,
			    .to_pc = ev->to_pc, .changed = ev->changed };
	return s;
}

static void on_event(void *cookie, const struct df_ctx *c, const struct df_event *ev)
{
	struct recorder *r = cookie;
	struct step *s;

	if (!c->solver || df_solver_analysis(c->solver) != r->a)
		return;
	r->events++;
	if (ev->kind == DF_EV_TRANSFER) {
		if (!r->in_visit || !r->n)
			return;
		s = &r->s[r->n - 1];
		if (!s->before)
			s->before = state_str(c, r->a, ev->old_state);
		free(s->after);
		s->after = state_str(c, r->a, ev->new_state);
		s->changed = s->before && s->after && strcmp(s->before, s->after);
		return;
	}
	r->in_visit = false;
	s = new_step(r, c, ev);
	if (!s)
		return;
	switch (ev->kind) {
	case DF_EV_VISIT:
		r->in_visit = true;
		s->changed = false;
		break;
	case DF_EV_JOIN:
	case DF_EV_WIDEN:
	case DF_EV_RETURN:
		s->before = state_str(c, r->a, ev->old_state);
		s->after = state_str(c, r->a, ev->new_state);
		break;
	default:
		break;
	}
}

static const char *kind_name(enum df_event_kind k)
{
	static const char *const names[] = {
		[DF_EV_VISIT] = "visit", [DF_EV_TRANSFER] = "transfer", [DF_EV_JOIN] = "join",
		[DF_EV_WIDEN] = "widen", [DF_EV_CALL] = "call", [DF_EV_RETURN] = "return",
		[DF_EV_CONVERGED] = "converged", [DF_EV_BUDGET] = "budget",
	};

	return (unsigned)k < sizeof(names) / sizeof(names[0]) && names[k] ? names[k] : "event";
}

/* Words of b missing from a, each prefixed with sign. */
static void word_diff(struct sbuf *out, const char *a, const char *b, char sign)
{
	const char *p = b;

	while (*p) {
		size_t n, m;
		const char *q;
		bool found = false;

		p += strspn(p, " \t\n,;{}");
		n = strcspn(p, " \t\n,;{}");
		if (!n)
			break;
		for (q = a; *q && !found; q += m) {
			q += strspn(q, " \t\n,;{}");
			m = strcspn(q, " \t\n,;{}");
			found = m == n && !strncmp(p, q, n);
		}
		if (!found) {
			char tmp[2] = { sign, 0 };

			sb_puts(out, " ");
			sb_html(out, tmp);
			{
				char *w = strndup(p, n);

				if (w)
					sb_html(out, w);
				free(w);
			}
		}
		p += n;
	}
}

static const char css[] =
	"body{font-family:sans-serif;margin:0}"
	"header{padding:6px 12px;background:#24292f;color:#fff}"
	"#layout{display:flex;height:calc(100vh - 60px)}"
	"#graph{flex:1;overflow:auto;border-right:1px solid #ccc}"
	"#side{width:42%;display:flex;flex-direction:column}"
	"#panel{padding:6px;border-bottom:1px solid #ccc;max-height:40%;overflow:auto}"
	"#panel pre{margin:2px 0;white-space:pre-wrap;background:#f6f8fa}"
	"#steps{overflow:auto;margin:0;padding:4px 4px 4px 48px;font-family:monospace;font-size:12px}"
	"#steps li{cursor:pointer;padding:1px 4px}"
	"#steps li:hover{background:#eef}"
	"#steps li.cur{background:#fff3a0}"
	"#steps li.ev-converged{color:#1a7f37;font-weight:bold}"
	"#steps li.ev-join,#steps li.ev-widen{color:#1f4fd1}"
	"#steps li.ev-budget{color:#d1242f;font-weight:bold}"
	".chg{color:#9a6700}"
	".st{display:none}"
	"g.node.hl>polygon{stroke:#d1242f;stroke-width:4px}"
	"g.node.hl text{font-weight:bold}";

static const char script[] =
	"(function(){"
	"var steps=document.querySelectorAll('#steps li');"
	"function pick(li){"
	"document.querySelectorAll('.hl,.cur').forEach(function(e){"
	"e.classList.remove('hl');e.classList.remove('cur');});"
	"li.classList.add('cur');"
	"var b=li.getAttribute('data-block');"
	"var n=b===''?null:document.getElementById('b'+b);"
	"if(n){n.classList.add('hl');if(n.scrollIntoView)n.scrollIntoView({block:'center'});}"
	"document.getElementById('panel').innerHTML="
	"'<b>step '+li.getAttribute('data-n')+'</b> '+li.querySelector('.what').innerHTML+"
	"li.querySelector('.st').innerHTML;}"
	"steps.forEach(function(li){li.addEventListener('click',function(){pick(li);});});"
	"var m=/click=(\\d+)/.exec(location.hash);"
	"if(m){var li=document.getElementById('step'+m[1]);if(li)li.click();}"
	"})();";

static void write_step(FILE *f, const struct step *s, uint32_t n, const struct df_cfg *g,
		       struct sbuf *sb)
{
	const struct df_subprog *sp = s->subprog < g->subprog_cnt ? &g->subprogs[s->subprog] : NULL;
	bool has_block = s->kind != DF_EV_CONVERGED && s->kind != DF_EV_BUDGET &&
			 s->block < g->block_cnt;

	sb_reset(sb);
	sb_printf(sb, "<li id=\"step%u\" data-n=\"%u\" data-block=\"", n, n);
	if (has_block)
		sb_printf(sb, "%u", s->block);
	sb_printf(sb, "\" data-context=\"%u\" class=\"ev-%s\"><span class=\"what\">%s", s->context,
		  kind_name(s->kind), kind_name(s->kind));
	if (has_block)
		sb_printf(sb, " b%u", s->block);
	if ((s->kind == DF_EV_JOIN || s->kind == DF_EV_WIDEN) && s->pc == UINT32_MAX)
		sb_puts(sb, " from the boundary");
	else if (s->kind == DF_EV_JOIN || s->kind == DF_EV_WIDEN)
		sb_printf(sb, " from pc %u", s->pc);
	sb_printf(sb, " ctx %u (", s->context);
	if (sp && sp->name)
		sb_html(sb, sp->name);
	else
		sb_printf(sb, "subprog#%u", s->subprog);
	sb_printf(sb, ", depth %u)</span>", s->depth);
	if (s->before && s->after && strcmp(s->before, s->after)) {
		sb_puts(sb, " <span class=\"chg\">changed:");
		word_diff(sb, s->before, s->after, '+');
		word_diff(sb, s->after, s->before, '-');
		sb_puts(sb, "</span>");
	} else if (s->kind == DF_EV_VISIT || s->kind == DF_EV_JOIN || s->kind == DF_EV_WIDEN) {
		sb_puts(sb, " <span class=\"same\">unchanged</span>");
	}
	sb_puts(sb, "<div class=\"st\">");
	if (s->before || s->after) {
		bool visit = s->kind == DF_EV_VISIT;

		sb_printf(sb, "<div>%s:</div><pre class=\"before\">", visit ? "in" : "old");
		sb_html(sb, s->before ? s->before : "");
		sb_printf(sb, "</pre><div>%s:</div><pre class=\"after\">", visit ? "out" : "new");
		sb_html(sb, s->after ? s->after : "");
		sb_puts(sb, "</pre>");
	}
	sb_puts(sb, "</div></li>\n");
	if (!sb->oom)
		fputs(sb->s, f);
}

static void write_page(FILE *f, struct viz *v, const char *name, const char *svg,
		       const struct recorder *r, const char *msg)
{
	struct sbuf sb = { 0 };
	const char *start = svg ? strstr(svg, "<svg") : NULL;
	uint32_t i;

	sb_puts(&sb, "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>");
	sb_html(&sb, name);
	sb_puts(&sb, " on ");
	sb_html(&sb, v->prog->name);
	sb_printf(&sb, "</title>\n<style>%s</style></head>\n<body><header><b>", css);
	sb_html(&sb, name);
	sb_puts(&sb, "</b> on program <b>");
	sb_html(&sb, v->prog->name);
	sb_printf(&sb, "</b>: %u steps", r->n);
	if (r->truncated)
		sb_printf(&sb, " (the first %u of the timeline)", MAX_STEPS);
	if (msg) {
		sb_puts(&sb, " <span id=\"rejected\" style=\"color:#ff8182\">rejected: ");
		sb_html(&sb, msg);
		sb_puts(&sb, "</span>");
	}
	sb_puts(&sb, "</header>\n<div id=\"layout\"><div id=\"graph\">\n");
	if (!sb.oom)
		fputs(sb.s, f);
	if (start)
		fputs(start, f);
	fputs("</div>\n<div id=\"side\"><div id=\"panel\">Click a step to see its block and states."
	      "</div>\n<ol id=\"steps\">\n", f);
	for (i = 0; i < r->n && v->cfg; i++)
		write_step(f, &r->s[i], i + 1, v->cfg, &sb);
	fprintf(f, "</ol></div></div>\n<script>%s</script>\n</body></html>\n", script);
	sb_free(&sb);
}

int viz_trace_html(const struct df_prog *prog, const char *name, const struct viz_opts *opts,
		   FILE *f)
{
	DF_OPTS(df_solver_opts, so);
	struct viz_opts vo = { .sz = sizeof(vo) };
	struct recorder r = { 0 };
	struct df_pipeline *pl = NULL;
	struct viz *v = NULL;
	char *svg = NULL, *msg = NULL;
	size_t len;
	uint32_t i;
	int err;

	r.a = df_analysis_find(name);
	if (!r.a) {
		fprintf(stderr, "unknown analysis '%s'\n", name);
		return -EINVAL;
	}
	if (opts)
		memcpy(&vo, opts, opts->sz < sizeof(vo) ? opts->sz : sizeof(vo));
	vo.sz = sizeof(vo);
	vo.analyses = NULL;
	vo.analysis_cnt = 0;
	err = viz_build(prog, &vo, &v);
	if (err)
		return err;
	if (!viz_rejected(v)) {
		so.trace = on_event;
		so.trace_cookie = &r;
		err = df_pipeline_new(prog, &so, &pl);
		if (!err) {
			viz_capture_begin();
			err = df_pipeline_run(pl, name);
			msg = viz_capture_end();
			if (err && !msg)
				msg = strdup(strerror(-err));
			if (!err) {
				free(msg);
				msg = NULL;
			}
		}
		if (err == -ENOMEM)
			goto out;
		if (msg && !v->err_msg) {
			v->err_msg = strdup(msg);
			v->err_pc = viz_msg_pc(msg);
		}
	}
	err = viz_render(v, "svg", &svg, &len);
	if (err)
		goto out;
	write_page(f, v, name, svg, &r, v->err_msg);
	err = ferror(f) ? -EIO : 0;
out:
	for (i = 0; i < r.n; i++) {
		free(r.s[i].before);
		free(r.s[i].after);
	}
	free(r.s);
	free(svg);
	free(msg);
	df_pipeline_free(pl);
	viz_free(v);
	return err;
}

/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Block labels: graphviz HTML-like tables with one row per instruction,
 * its pc, its disassembly and the facts of the chosen analyses before it.
 */
#include "viz_int.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void sb_putn(struct sbuf *b, const char *s, size_t n)
{
	if (b->oom)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		char *p;

		while (cap < b->len + n + 1)
			cap *= 2;
		p = realloc(b->s, cap);
		if (!p) {
			b->oom = true;
			return;
		}
		b->s = p;
		b->cap = cap;
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void sb_puts(struct sbuf *b, const char *s)
{
	sb_putn(b, s, strlen(s));
}

void sb_printf(struct sbuf *b, const char *fmt, ...)
{
	char tmp[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n < sizeof(tmp)) {
		sb_putn(b, tmp, (size_t)n);
		return;
	}
	sb_putn(b, "", 0);
	if (b->oom)
		return;
	{
		char *p = malloc((size_t)n + 1);

		if (!p) {
			b->oom = true;
			return;
		}
		va_start(ap, fmt);
		vsnprintf(p, (size_t)n + 1, fmt, ap);
		va_end(ap);
		sb_putn(b, p, (size_t)n);
		free(p);
	}
}

void sb_html(struct sbuf *b, const char *s)
{
	const char *run = s;

	for (; *s; s++) {
		const char *rep;

		switch (*s) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		default: continue;
		}
		sb_putn(b, run, (size_t)(s - run));
		sb_puts(b, rep);
		run = s + 1;
	}
	sb_putn(b, run, (size_t)(s - run));
}

void sb_reset(struct sbuf *b)
{
	b->len = 0;
	if (b->s)
		b->s[0] = '\0';
}

void sb_free(struct sbuf *b)
{
	free(b->s);
	*b = (struct sbuf){ 0 };
}

void viz_cond_label(const struct df_insn *insn, char *buf, size_t len)
{
	static const char *const ops[16] = {
		[DF_JEQ >> 4] = "==", [DF_JGT >> 4] = ">", [DF_JGE >> 4] = ">=",
		[DF_JSET >> 4] = "&", [DF_JNE >> 4] = "!=", [DF_JSGT >> 4] = "s>",
		[DF_JSGE >> 4] = "s>=", [DF_JLT >> 4] = "<", [DF_JLE >> 4] = "<=",
		[DF_JSLT >> 4] = "s<", [DF_JSLE >> 4] = "s<=",
	};
	unsigned cls = DF_CLASS(insn->code), op = DF_OP(insn->code);
	char r = cls == DF_JMP32 ? 'w' : 'r';

	buf[0] = '\0';
	if (cls != DF_JMP && cls != DF_JMP32)
		return;
	if (op == DF_JCOND) {
		snprintf(buf, len, "may_goto");
		return;
	}
	if (!ops[op >> 4])
		return;
	if (DF_SRC(insn->code) == DF_X)
		snprintf(buf, len, "%c%u %s %c%u", r, insn->dst_reg, ops[op >> 4], r,
			 insn->src_reg);
	else
		snprintf(buf, len, "%c%u %s %#x", r, insn->dst_reg, ops[op >> 4],
			 (uint32_t)insn->imm);
}

bool viz_pc_shown(const struct viz *v, uint32_t pc)
{
	return !v->opts.range || (pc >= v->opts.range_lo && pc <= v->opts.range_hi);
}

uint32_t viz_block_rows(const struct viz *v, uint32_t b)
{
	const struct df_block *blk = &v->cfg->blocks[b];
	uint32_t pc, n = 0;

	for (pc = blk->start; pc < blk->end; pc += df_insn_slots(&v->prog->insns[pc]))
		n += viz_pc_shown(v, pc);
	return n;
}

static void regs_cell(const struct viz *v, uint32_t pc, struct sbuf *out)
{
	char s[DF_NREGS];
	uint16_t mask;
	int r;

	if (df_regs_live_before(v->regs, pc, &mask))
		return;
	for (r = 0; r < 10; r++)
		s[r] = mask & (1u << r) ? (char)('0' + r) : '.';
	s[10] = '\0';
	sb_puts(out, s);
}

static void args_cell(const struct viz_inst *in, const struct viz *v, uint32_t pc,
		      struct sbuf *out)
{
	struct df_argtrack_state acc, st;
	bool any = false, first = true;
	uint32_t i, l;
	char val[64], loc[16];

	for (i = 0; i < in->ctx_cnt; i++) {
		if (df_state_before(v->args, in->ctx[i], pc, any ? &st : &acc))
			continue;
		if (!any) {
			any = true;
			continue;
		}
		for (l = 0; l < DF_ARG_NLOCS; l++)
			df_arg_join(&acc.loc[l], &st.loc[l]);
	}
	if (!any)
		return;
	for (l = 0; l < DF_ARG_NLOCS; l++) {
		const struct df_arg *a = &acc.loc[l];

		/* r10 always points at its own frame: no news */
		if (l == DF_REG_FP || (a->frame < 0 && a->frame != DF_ARG_IMPRECISE))
			continue;
		df_arg_loc_snprint(loc, sizeof(loc), l);
		df_arg_snprint(val, sizeof(val), a);
		sb_printf(out, "%s%s=", first ? "" : " ", loc);
		sb_html(out, val);
		first = false;
	}
}

static bool halves_empty(const struct df_halves *h)
{
	return !h->w[0] && !h->w[1];
}

/* Frames highest first, as the kernel lists them. */
static void halves_cell(const struct df_halves *h, uint32_t nframes, struct sbuf *out)
{
	char buf[1024];
	bool first = true;
	uint32_t f;

	for (f = nframes; f-- > 0;) {
		if (halves_empty(&h[f]))
			continue;
		df_halves_snprint(buf, sizeof(buf), f, &h[f]);
		if (!first)
			sb_puts(out, " ");
		sb_html(out, buf);
		first = false;
	}
}

static void stack_cells(const struct viz_inst *in, const struct viz *v, uint32_t pc,
			struct sbuf *out)
{
	struct df_halves use[DF_MAX_CALL_FRAMES], def[DF_MAX_CALL_FRAMES],
		live[DF_MAX_CALL_FRAMES];
	uint32_t f, n = in->depth + 1;
	bool reached = true;

	if (n > DF_MAX_CALL_FRAMES)
		n = DF_MAX_CALL_FRAMES;
	for (f = 0; f < n && reached; f++)
		reached = !df_stack_masks(v->stack, in->stack_inst, pc, f, &use[f], &def[f],
					  &live[f]);
	sb_puts(out, "<TD ALIGN=\"LEFT\">");
	if (reached)
		halves_cell(use, n, out);
	sb_puts(out, "</TD><TD ALIGN=\"LEFT\">");
	if (reached)
		halves_cell(def, n, out);
	sb_puts(out, "</TD><TD ALIGN=\"LEFT\">");
	if (reached)
		halves_cell(live, n, out);
	sb_puts(out, "</TD>");
}

static uint32_t columns(const struct viz *v)
{
	return 2 + !!(v->annot & VIZ_AN_REGS) + !!(v->annot & VIZ_AN_ARGS) +
	       3 * !!(v->annot & VIZ_AN_STACK);
}

static void head_row(const struct viz *v, struct sbuf *out)
{
	sb_puts(out, "<TR><TD ALIGN=\"RIGHT\"><I>pc</I></TD><TD ALIGN=\"LEFT\"><I>insn</I></TD>");
	if (v->annot & VIZ_AN_REGS)
		sb_puts(out, "<TD ALIGN=\"LEFT\"><I>live regs</I></TD>");
	if (v->annot & VIZ_AN_ARGS)
		sb_puts(out, "<TD ALIGN=\"LEFT\"><I>stack pointers</I></TD>");
	if (v->annot & VIZ_AN_STACK)
		sb_puts(out, "<TD ALIGN=\"LEFT\"><I>use</I></TD><TD ALIGN=\"LEFT\"><I>def</I></TD>"
			     "<TD ALIGN=\"LEFT\"><I>live</I></TD>");
	sb_puts(out, "</TR>");
}

static void insn_row(struct viz *v, const struct viz_inst *in, uint32_t pc, struct sbuf *out)
{
	const struct df_prog *p = v->prog;
	bool bad = (long)pc == v->err_pc;
	const char *td = bad ? "<TD BGCOLOR=\"#ffb0b0\" ALIGN=\"LEFT\">" : "<TD ALIGN=\"LEFT\">";
	char text[256];

	df_insn_snprint(text, sizeof(text), p, p->insns, p->insn_cnt, pc);
	sb_printf(out, "<TR><TD ALIGN=\"RIGHT\"%s>%u</TD>%s", bad ? " BGCOLOR=\"#ffb0b0\"" : "",
		  pc, td);
	sb_html(out, text);
	sb_puts(out, "</TD>");
	if (v->annot & VIZ_AN_REGS) {
		sb_puts(out, td);
		regs_cell(v, pc, out);
		sb_puts(out, "</TD>");
	}
	if (v->annot & VIZ_AN_ARGS) {
		sb_puts(out, td);
		args_cell(in, v, pc, out);
		sb_puts(out, "</TD>");
	}
	if (v->annot & VIZ_AN_STACK)
		stack_cells(in, v, pc, out);
	sb_puts(out, "</TR>");
	if (bad && v->err_msg) {
		sb_printf(out, "<TR><TD COLSPAN=\"%u\" BGCOLOR=\"#ffb0b0\" ALIGN=\"LEFT\"><B>",
			  columns(v));
		sb_html(out, v->err_msg);
		sb_puts(out, "</B></TD></TR>");
	}
	v->row_cnt++;
}

void viz_listing_label(struct viz *v, struct sbuf *out)
{
	const struct df_prog *p = v->prog;
	uint32_t pc;

	sb_puts(out, "<TABLE BORDER=\"1\" CELLBORDER=\"0\" CELLSPACING=\"0\" CELLPADDING=\"1\">");
	sb_puts(out, "<TR><TD COLSPAN=\"2\" ALIGN=\"LEFT\" BGCOLOR=\"#ffb0b0\"><B>rejected</B>");
	if (v->err_pc < 0 && v->err_msg) {
		sb_puts(out, ": ");
		sb_html(out, v->err_msg);
	}
	sb_puts(out, "</TD></TR>");
	for (pc = 0; pc < p->insn_cnt; pc += df_insn_slots(&p->insns[pc]))
		if (viz_pc_shown(v, pc))
			insn_row(v, NULL, pc, out);
	sb_puts(out, "</TABLE>");
}

void viz_block_label(struct viz *v, const struct viz_inst *in, uint32_t b, struct sbuf *out)
{
	const struct df_block *blk = &v->cfg->blocks[b];
	uint32_t pc, last = blk->start, n = 0;

	for (pc = blk->start; pc < blk->end; pc += df_insn_slots(&v->prog->insns[pc])) {
		last = pc;
		n++;
	}
	sb_printf(out, "<TABLE BORDER=\"1\" CELLBORDER=\"0\" CELLSPACING=\"0\" CELLPADDING=\"1\""
		       " BGCOLOR=\"%s\">", blk->reachable ? "white" : "#e4e4e4");
	if (v->opts.collapse) {
		bool bad = v->err_pc >= (long)blk->start && v->err_pc < (long)blk->end;

		sb_printf(out, "<TR><TD%s>b%u: %u..%u (%u insn%s)%s</TD></TR></TABLE>",
			  bad ? " BGCOLOR=\"#ffb0b0\"" : "", b, blk->start, last, n,
			  n == 1 ? "" : "s", blk->reachable ? "" : " unreachable");
		v->row_cnt++;
		return;
	}
	sb_printf(out, "<TR><TD COLSPAN=\"%u\" ALIGN=\"LEFT\" BGCOLOR=\"%s\"><B>b%u</B> [%u,%u)%s</TD></TR>",
		  columns(v), blk->reachable ? "#dce6f2" : "#c8c8c8", b, blk->start, blk->end,
		  blk->reachable ? "" : " unreachable");
	if (v->annot)
		head_row(v, out);
	for (pc = blk->start; pc < blk->end; pc += df_insn_slots(&v->prog->insns[pc]))
		if (viz_pc_shown(v, pc))
			insn_row(v, in, pc, out);
	sb_puts(out, "</TABLE>");
}

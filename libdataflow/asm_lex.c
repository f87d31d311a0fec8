/* SPDX-License-Identifier: BSD-2-Clause */
/* Assembler: tokens of an instruction line: registers, numbers, operands. */
#include "asm.h"

void asm_skip_ws(struct asm_cur *c)
{
	while (c->p < c->end && (*c->p == ' ' || *c->p == '\t'))
		c->p++;
}

bool asm_is_ident_start(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '_';
}

bool asm_is_ident(char ch)
{
	return asm_is_ident_start(ch) || (ch >= '0' && ch <= '9') || ch == '.';
}

size_t asm_ident_len(const struct asm_cur *c)
{
	const char *q = c->p;

	if (q >= c->end || !asm_is_ident_start(*q))
		return 0;
	while (q < c->end && asm_is_ident(*q))
		q++;
	return (size_t)(q - c->p);
}

/* A name that may also start with '.', like the map of section ".bss". */
size_t asm_name_len(const struct asm_cur *c)
{
	struct asm_cur t = { c->p, c->end };
	size_t n;

	if (t.p < t.end && *t.p == '.')
		t.p++;
	n = asm_ident_len(&t);
	return n ? n + (size_t)(t.p - c->p) : 0;
}

bool asm_lit(struct asm_cur *c, const char *s)
{
	size_t n = strlen(s);

	asm_skip_ws(c);
	if ((size_t)(c->end - c->p) < n || memcmp(c->p, s, n))
		return false;
	c->p += n;
	return true;
}

/* A whole word: s not followed by an identifier character. */
bool asm_word(struct asm_cur *c, const char *s)
{
	const char *save = c->p;

	if (!asm_lit(c, s))
		return false;
	if (c->p < c->end && asm_is_ident(*c->p)) {
		c->p = save;
		return false;
	}
	return true;
}

int asm_expect(struct asm_state *st, struct asm_cur *c, const char *s)
{
	char what[24];

	if (asm_lit(c, s))
		return 0;
	snprintf(what, sizeof(what), "'%s'", s);
	asm_expected(st, c->p, what);
	return -EINVAL;
}

static bool is_digit(char ch)
{
	return ch >= '0' && ch <= '9';
}

/* Register at the cursor, without consuming it: r0..r11, w0..w10. */
bool asm_peek_reg(struct asm_cur *c, struct asm_reg *r)
{
	const char *q;
	int n = 0;

	asm_skip_ws(c);
	q = c->p;
	if (c->end - q < 2 || (*q != 'r' && *q != 'w') || !is_digit(q[1]))
		return false;
	for (q++; q < c->end && is_digit(*q) && n < 100; q++)
		n = n * 10 + (*q - '0');
	if ((q < c->end && asm_is_ident(*q)) || n > 11 || (n == 11 && *c->p == 'w') ||
	    (q - c->p > 2 && c->p[1] == '0'))
		return false;
	r->n = n;
	r->w = *c->p == 'w';
	r->at = c->p;
	return true;
}

int asm_parse_reg(struct asm_state *st, struct asm_cur *c, struct asm_reg *r)
{
	if (!asm_peek_reg(c, r)) {
		asm_expected(st, c->p, "register");
		return -EINVAL;
	}
	c->p += r->n >= 10 ? 3 : 2;
	return 0;
}

/* The register must be of width w; r11 only where r11_ok. */
int asm_reg_ok(struct asm_state *st, const struct asm_reg *r, bool w, bool r11_ok)
{
	if (r->n == DF_REG_PARAMS && !r11_ok) {
		asm_expected(st, r->at, "register r0..r10 (r11 only in stack-argument loads and stores)");
		return -EINVAL;
	}
	if (r->w != w) {
		asm_expected(st, r->at, w ? "32-bit register w0..w10" : "64-bit register r0..r10");
		return -EINVAL;
	}
	return 0;
}

int asm_parse_reg_as(struct asm_state *st, struct asm_cur *c, struct asm_reg *r,
			bool w)
{
	if (asm_parse_reg(st, c, r))
		return -EINVAL;
	return asm_reg_ok(st, r, w, false);
}

bool asm_peek_num(struct asm_cur *c)
{
	const char *q;

	asm_skip_ws(c);
	q = c->p;
	if (q < c->end && (*q == '-' || *q == '+'))
		q++;
	return q < c->end && is_digit(*q);
}

static int hexval(char ch)
{
	if (is_digit(ch))
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

int asm_parse_num(struct asm_state *st, struct asm_cur *c, struct asm_num *n)
{
	const char *q;
	uint64_t v = 0;
	int digits = 0, d;

	asm_skip_ws(c);
	q = n->at = c->p;
	n->neg = false;
	if (q < c->end && (*q == '-' || *q == '+'))
		n->neg = *q++ == '-';
	if (c->end - q > 2 && q[0] == '0' && (q[1] == 'x' || q[1] == 'X')) {
		for (q += 2; q < c->end && (d = hexval(*q)) >= 0; q++, digits++) {
			if (v >> 60)
				goto range;
			v = v << 4 | (uint64_t)d;
		}
	} else {
		for (; q < c->end && is_digit(*q); q++, digits++) {
			d = *q - '0';
			if (v > (UINT64_MAX - (uint64_t)d) / 10)
				goto range;
			v = v * 10 + (uint64_t)d;
		}
	}
	if (!digits || (q < c->end && asm_is_ident(*q))) {
		asm_expected(st, n->at, "number");
		return -EINVAL;
	}
	n->mag = v;
	c->p = q;
	return 0;
range:
	asm_expected(st, n->at, "number that fits in 64 bits");
	return -EINVAL;
}

bool asm_fits_s32(const struct asm_num *n)
{
	return n->neg ? n->mag <= 0x80000000ull : n->mag <= 0x7fffffffull;
}

/* -2^31 .. 2^32-1, stored as its low 32 bits. */
int asm_to_imm32(struct asm_state *st, const struct asm_num *n, int32_t *out)
{
	if (n->neg ? n->mag > 0x80000000ull : n->mag > 0xffffffffull) {
		asm_expected(st, n->at, "32-bit immediate (-2147483648..4294967295)");
		return -EINVAL;
	}
	*out = (int32_t)(uint32_t)(n->neg ? 0 - n->mag : n->mag);
	return 0;
}

int asm_to_range(struct asm_state *st, const struct asm_num *n, int64_t lo,
		    int64_t hi, const char *what, int64_t *out)
{
	int64_t v;

	if (n->mag > (uint64_t)INT64_MAX)
		goto bad;
	v = n->neg ? -(int64_t)n->mag : (int64_t)n->mag;
	if (v < lo || v > hi)
		goto bad;
	*out = v;
	return 0;
bad:
	asm_expected(st, n->at, what);
	return -EINVAL;
}

int asm_parse_range(struct asm_state *st, struct asm_cur *c, int64_t lo,
		       int64_t hi, const char *what, int64_t *out)
{
	struct asm_num n;

	if (asm_parse_num(st, c, &n))
		return -EINVAL;
	return asm_to_range(st, &n, lo, hi, what, out);
}

int asm_parse_imm32(struct asm_state *st, struct asm_cur *c, int32_t *out)
{
	struct asm_num n;

	if (asm_parse_num(st, c, &n))
		return -EINVAL;
	return asm_to_imm32(st, &n, out);
}

/* "(u64 *)"; sx set for s8/s16/s32. */
int asm_parse_cast(struct asm_state *st, struct asm_cur *c, int *size, bool *sx)
{
	static const struct { const char *s; int size; bool sx; } casts[] = {
		{ "u8", DF_B, false }, { "u16", DF_H, false }, { "u32", DF_W, false },
		{ "u64", DF_DW, false }, { "s8", DF_B, true }, { "s16", DF_H, true },
		{ "s32", DF_W, true },
	};
	size_t i;

	if (asm_expect(st, c, "("))
		return -EINVAL;
	asm_skip_ws(c);
	for (i = 0; i < DF_ARRAY_SIZE(casts); i++)
		if (asm_word(c, casts[i].s))
			break;
	if (i == DF_ARRAY_SIZE(casts)) {
		asm_expected(st, c->p, "access size u8, u16, u32, u64, s8, s16 or s32");
		return -EINVAL;
	}
	*size = casts[i].size;
	*sx = casts[i].sx;
	if (asm_expect(st, c, "*"))
		return -EINVAL;
	return asm_expect(st, c, ")");
}

int asm_parse_cast_u(struct asm_state *st, struct asm_cur *c, int *size)
{
	const char *at;
	bool sx;

	asm_skip_ws(c);
	at = c->p;
	if (asm_parse_cast(st, c, size, &sx))
		return -EINVAL;
	if (sx) {
		asm_expected(st, at + 1, "access size u8, u16, u32 or u64");
		return -EINVAL;
	}
	return 0;
}

/* "(r1 +8)", "(r1 - 8)", "(r1)"; base is a 64-bit register, r11 checked by callers. */
int asm_parse_addr(struct asm_state *st, struct asm_cur *c, struct asm_reg *base,
		      int16_t *off)
{
	struct asm_num n;
	int64_t v;
	bool neg;

	*off = 0;
	if (asm_expect(st, c, "(") || asm_parse_reg(st, c, base))
		return -EINVAL;
	if (base->w) {
		asm_expected(st, base->at, "64-bit base register r0..r10");
		return -EINVAL;
	}
	asm_skip_ws(c);
	if (c->p < c->end && (*c->p == '+' || *c->p == '-')) {
		neg = *c->p++ == '-';
		if (asm_parse_num(st, c, &n))
			return -EINVAL;
		n.neg ^= neg;
		if (asm_to_range(st, &n, INT16_MIN, INT16_MAX, "offset -32768..32767", &v))
			return -EINVAL;
		*off = (int16_t)v;
	}
	return asm_expect(st, c, ")");
}


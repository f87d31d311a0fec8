.prog v4 "xdp"
	r1 = *(s8 *)(r1 +4)
	r2 = (s16)r1
	w3 = (s8)w2
	r2 s/= r1
	w3 s%= 3
	r2 = bswap64 r2
	gotol pc+1
	may_goto pc+0
	r0 = load_acquire((u64 *)(r10 -8))
	store_release((u32 *)(r10 -8), w2)
	r0 = 0
	exit

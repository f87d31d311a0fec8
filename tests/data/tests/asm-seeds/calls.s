.license "GPL"
.map counts hash key=4 value=8 max=64
.prog main "tc"
	r6 = r1
	r1 = 1
	r2 = 2
	call add2
	*(u32 *)(r10 -4) = 0
	r2 = r10
	r2 += -4
	r1 = map[counts]
	call bpf_map_lookup_elem#1
	if r0 == 0x0 goto out
	lock *(u64 *)(r0 +0) += r6
out:
	r0 = 0
	exit
.func add2 2 static
	r0 = r1
	r0 += r2
	exit

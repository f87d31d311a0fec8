.prog loop "tc"
	r1 = 10
	r2 = subprog[cb]
	r3 = 0
	r4 = 0
	call bpf_loop#181
	r0 = 0
	exit
.func cb 2 static
	r0 = 0
	exit

/** Xor.tst: every row of the table (nnsim test data). */
load Xor.hdl,
compare-to Xor.cmp,
output-list a b out;   // bare names: %B1.1.1

set a 0, set b 0, eval, output;
set a 0, set b 1, eval, output;
set a 1, set b 0, eval, output;
/* the last row */
set a 1, set b 1, eval, output;

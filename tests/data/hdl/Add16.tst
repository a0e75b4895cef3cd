// decimal values, negative ones too
load Add16.hdl,
output-file Add16.out,
compare-to Add16.cmp,
output-list a%D1.6.1 b%D1.6.1 out%D1.6.1 out%X1.4.1 out%B1.16.1;

set a 0,
set b 0,
eval,
output;

set a 0,
set b -1,
eval,
output;

set a -1,
set b -1,
eval,
output;

set a 12345,
set b -12345,
eval,
output;

set a 32767,
set b 1,
eval,
output;

set a -32768,
set b -1,
eval,
output;

set a 1000,
set b 2345,
eval,
output;


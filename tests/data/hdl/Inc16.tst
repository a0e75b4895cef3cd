load Inc16.hdl,
compare-to Inc16.cmp,
output-list time%S1.4.1 in%D2.6.2 out%D2.6.2;

set in %X0000,
eval,
output;
set in %XFFFF,
eval,
output;
set in %X0005,
eval,
output;
set in %XFFFB,
eval,
output;
set in %X7FFF,
eval,
output;

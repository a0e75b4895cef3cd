load DMux4Way.hdl,
compare-to DMux4Way.cmp,
output-list in%B1.1.1 sel%B1.2.1 a%B1.1.1 b%B1.1.1 c%B1.1.1 d%B1.1.1;

set in 0,
set sel %B00,
eval,
output;
set in 0,
set sel %B01,
eval,
output;
set in 0,
set sel %B10,
eval,
output;
set in 0,
set sel %B11,
eval,
output;
set in 1,
set sel %B00,
eval,
output;
set in 1,
set sel %B01,
eval,
output;
set in 1,
set sel %B10,
eval,
output;
set in 1,
set sel %B11,
eval,
output;

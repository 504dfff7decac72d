/* battrace.c: placeholder main, replaced by the command dispatcher. */
#include <stdio.h>
int main(void) { puts("battrace"); return 0; }

/* `granslos bench search`: our engine against SQLite FTS5 on a generated directory (bench.c). */
#ifndef SEARCH_BENCH_H
#define SEARCH_BENCH_H
/* search_bench_main: argv after "bench search"; prints key: value lines; returns the exit code. */
int search_bench_main(int argc, char **argv);
#endif

/** Exit codes every command shares: scripts rely on 2 meaning "the command line was wrong". */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

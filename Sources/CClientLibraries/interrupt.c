// Deferred SIGINT and SIGTERM for the deploy and revert loops: the first signal is only
// noted, so the change in flight finishes and is recorded before the run stops; a second
// one ends the process at once, as the signal would have without the handler.
#include <signal.h>
#include <string.h>
#include "CClientLibraries.h"

static volatile sig_atomic_t noted_signal = 0;
static struct sigaction previous_int, previous_term;
static int installed = 0;

static void note_signal(int signo) {
    if (noted_signal != 0) {
        signal(signo, SIG_DFL);
        raise(signo);
        return;
    }
    noted_signal = signo;
}

void sqlitch_defer_interrupts(void) {
    if (installed++) return;
    noted_signal = 0;
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = note_signal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    sigaction(SIGINT, &action, &previous_int);
    sigaction(SIGTERM, &action, &previous_term);
}

void sqlitch_restore_interrupts(void) {
    if (installed == 0 || --installed) return;
    sigaction(SIGINT, &previous_int, NULL);
    sigaction(SIGTERM, &previous_term, NULL);
}

int sqlitch_noted_interrupt(void) { return noted_signal; }

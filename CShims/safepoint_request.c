#include "jr_safepoint_request.h"
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>

volatile int jr_safepoint_request_flag = 0;
static uint8_t *volatile poke_byte = NULL;

int jr_safepoint_take(void) { return __atomic_exchange_n(&jr_safepoint_request_flag, 0, __ATOMIC_ACQ_REL); }

void jr_safepoint_post(void) {
    __atomic_store_n(&jr_safepoint_request_flag, 1, __ATOMIC_RELEASE);
    uint8_t *byte = poke_byte;
    if (byte != NULL) __atomic_store_n(byte, 1, __ATOMIC_RELEASE);
}

void jr_safepoint_set_poke(uint8_t *byte) { poke_byte = byte; }

static void on_signal(int signal_number) {
    (void)signal_number;
    int saved = errno;
    jr_safepoint_post();
    errno = saved;
}

int jr_safepoint_install_signal(int signal_number) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_signal;
    action.sa_flags = SA_RESTART;
    sigemptyset(&action.sa_mask);
    if (sigaction(signal_number, &action, NULL) != 0) return -1;
    // A parent may have started us with the signal blocked (the mask is inherited across exec).
    sigset_t unblock;
    sigemptyset(&unblock);
    sigaddset(&unblock, signal_number);
    int error = pthread_sigmask(SIG_UNBLOCK, &unblock, NULL);
    if (error != 0) {
        errno = error;
        return -1;
    }
    return 0;
}

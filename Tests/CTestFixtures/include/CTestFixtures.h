#ifndef CTESTFIXTURES_H
#define CTESTFIXTURES_H
#include <stdint.h>
#endif

#ifndef EXPORTGUARD_CBZIP2_SHIM_H
#define EXPORTGUARD_CBZIP2_SHIM_H

#include <bzlib.h>

#endif

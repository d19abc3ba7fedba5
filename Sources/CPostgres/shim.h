#ifndef ROTOR_CPOSTGRES_SHIM_H
#define ROTOR_CPOSTGRES_SHIM_H
#include <libpq-fe.h>
#endif

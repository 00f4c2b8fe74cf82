#ifndef CIMGSEARCH_SQLITE_SHIM_H
#define CIMGSEARCH_SQLITE_SHIM_H
#include <sqlite3.h>
#endif

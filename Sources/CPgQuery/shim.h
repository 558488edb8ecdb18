// Debian's libpg_query (libpg-query-dev): the PostgreSQL 15 parser taken out of the
// server. vejamigrate reads SQL with it (defaults given as {"sql": ...}, and the SQL in
// migrations), so what it accepts is exactly what PostgreSQL's grammar accepts.
#ifndef VEJAMIGRATE_CPGQUERY_SHIM_H
#define VEJAMIGRATE_CPGQUERY_SHIM_H
#include <pg_query.h>
#endif

// SQLite's C API, from Debian's libsqlite3-dev: for reading a council's tables from a SQLite file.
#include <sqlite3.h>

// The C interfaces uptake calls: CBLAS and OpenBLAS's thread control from <cblas.h>, LAPACK from <lapacke.h>.
#include <cblas.h>
#include <lapacke.h>

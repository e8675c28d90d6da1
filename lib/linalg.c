#include "linalg.h"

#include <assert.h>
#include <limits.h>

int linalg_int(size_t n)
{
	assert(n <= (size_t)INT_MAX);
	return (int)n;
}

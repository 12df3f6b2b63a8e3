#include "CTestFixtures.h"

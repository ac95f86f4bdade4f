#include "GatewayOptions.h"

#include "HealthPolicy.h"

#include <chrono>

namespace gh {

qint64 HealthPolicy::now() const
{
    return clock ? clock() : steadyNowMs();
}

qint64 HealthPolicy::steadyNowMs()
{
    using namespace std::chrono;
    return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

} // namespace gh

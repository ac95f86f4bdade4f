#pragma once

#include <QFuture>
#include <QFutureWatcher>
#include <QObject>

#include <utility>

namespace gh {

// Calls function(result) on context's thread once future has finished, unless context
// is destroyed first. A QFutureWatcher rather than QFuture::then(context, ...): in Qt 6.4
// a context continuation attached while another thread finishes the future can be lost.
template <typename T, typename Function>
void whenFinished(const QFuture<T> &future, QObject *context, Function &&function)
{
    auto *watcher = new QFutureWatcher<T>(context);
    QObject::connect(watcher, &QFutureWatcher<T>::finished, context,
                     [watcher, function = std::forward<Function>(function)]() mutable {
                         watcher->deleteLater();
                         function(watcher->result());
                     });
    watcher->setFuture(future);
}

} // namespace gh

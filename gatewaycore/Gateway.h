#pragma once
#include <QObject>
namespace gh {
class Gateway : public QObject
{
    Q_OBJECT
};
} // namespace gh

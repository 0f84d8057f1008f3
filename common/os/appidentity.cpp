#include "common/os/appidentity.h"

#include <QCoreApplication>

namespace natter::os {

void setApplicationIdentity(const QString &name)
{
    QCoreApplication::setOrganizationName(QStringLiteral("Natter"));
    QCoreApplication::setApplicationName(name);
    QCoreApplication::setApplicationVersion(QStringLiteral(NATTER_VERSION));
}

} // namespace natter::os

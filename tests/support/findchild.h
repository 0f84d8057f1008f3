#pragma once

// Shared by the desktop-app tests (tests/app): widgets, actions and dialogs are found by their objectName
// (set where they are created), not through getters kept for tests.

#include <QObject>
#include <QString>

#include <memory>
#include <type_traits>

namespace natter::test {

// The descendant of `parent` (a QObject, a pointer to one, or a smart pointer to one) of type T named
// `name`, or null (a dialog that is closed, a tray icon on a desktop without a tray).
template <typename T, typename Parent>
T *find(const Parent &parent, const QString &name)
{
    const QObject *object = nullptr;
    if constexpr (std::is_pointer_v<Parent>)
        object = parent;
    else if constexpr (std::is_base_of_v<QObject, Parent>)
        object = &parent;
    else
        object = parent.get();
    return object ? object->findChild<T *>(name) : nullptr;
}

} // namespace natter::test

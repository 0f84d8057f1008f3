#pragma once

// JSON helpers shared by the protocol tests: compact text for messages, and a field-by-field check that
// ignores fields the contract lets servers add.

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QString>
#include <QTest>

namespace natter::test {

inline QString jsonText(const QJsonObject &o)
{
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

inline QString jsonText(const QJsonArray &a)
{
    return QString::fromUtf8(QJsonDocument(a).toJson(QJsonDocument::Compact));
}

// Empty when every field of expected has the same value in actual (other fields of actual are ignored);
// otherwise a description of the difference.
inline QString fieldMismatch(const QJsonObject &actual, const QJsonObject &expected)
{
    using namespace Qt::StringLiterals;
    for (auto it = expected.begin(); it != expected.end(); ++it) {
        if (actual.value(it.key()) != it.value())
            return u"field '%1' differs\n   actual: %2\n expected: %3"_s.arg(it.key(), jsonText(actual),
                                                                             jsonText(expected));
    }
    return {};
}

} // namespace natter::test

#define VERIFY_FIELDS(actual, expected)                                                                                \
    do {                                                                                                               \
        const QString mismatch_ = natter::test::fieldMismatch((actual), (expected));                                   \
        QVERIFY2(mismatch_.isEmpty(), qPrintable(mismatch_));                                                          \
    } while (false)

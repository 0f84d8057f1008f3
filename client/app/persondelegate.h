#pragma once

#include "client/app/listrowdelegate.h"

namespace natter::app {

// One row of the people list: a presence dot, the name ("(you)" for the signed-in user) and, on the right,
// "online" or "offline" in dim text, so that presence does not rest on colour alone. The colours are the
// conversation list's (colors::rowColors()), so both lists agree under light and dark palettes.
class PersonDelegate : public ListRowDelegate
{
    Q_OBJECT
public:
    explicit PersonDelegate(QObject *parent = nullptr) : ListRowDelegate(1, 160, parent) {}

    // The texts the row shows: the name and the presence word.
    static QString nameText(const QModelIndex &index);
    static QString presenceText(bool online);

protected:
    void paintRow(QPainter *painter, const QStyleOptionViewItem &opt, const QModelIndex &index,
                  const colors::RowColors &c, const QRect &r) const override;
};

} // namespace natter::app

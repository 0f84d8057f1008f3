#include "client/app/trayicon.h"

#include <QApplication>
#include <QMenu>
#include <QPainter>
#include <QPainterPath>
#include <QSystemTrayIcon>

namespace natter::app {

using namespace Qt::StringLiterals;

namespace {
constexpr int kIconSize = 64;
}

TrayIcon::TrayIcon(QObject *parent)
    : QObject(parent), m_base(baseIcon())
{
    m_menu = new QMenu;
    m_menu->addAction(tr("&Show Natter"), this, &TrayIcon::showRequested);
    m_menu->addSeparator();
    m_menu->addAction(tr("&Quit"), this, &TrayIcon::quitRequested);
    m_tray = new QSystemTrayIcon(m_base, this);
    m_tray->setContextMenu(m_menu);
    connect(m_tray, &QSystemTrayIcon::activated, this, [this](QSystemTrayIcon::ActivationReason reason) {
        if (reason == QSystemTrayIcon::Trigger || reason == QSystemTrayIcon::DoubleClick)
            emit showRequested();
    });
    connect(m_tray, &QSystemTrayIcon::messageClicked, this, &TrayIcon::showRequested);
    setUnread(0);
    m_tray->show();
}

TrayIcon::~TrayIcon()
{
    delete m_menu; // a context menu is not owned by the tray icon
}

void TrayIcon::setUnread(int count)
{
    m_unread = count;
    m_tray->setIcon(badgedIcon(m_base, count));
    m_tray->setToolTip(toolTipFor(count));
}

void TrayIcon::showMessage(const QString &title, const QString &body)
{
    m_tray->showMessage(title, body, m_base);
}

QIcon TrayIcon::baseIcon()
{
    const QIcon window = QApplication::windowIcon();
    if (!window.isNull() && !window.availableSizes().isEmpty())
        return window;
    QPixmap pixmap(kIconSize, kIconSize);
    pixmap.fill(Qt::transparent);
    QPainter p(&pixmap);
    p.setRenderHint(QPainter::Antialiasing);
    QPainterPath bubble;
    bubble.addRoundedRect(QRectF(4, 6, 56, 40), 12, 12);
    QPolygonF tail({QPointF(16, 44), QPointF(12, 58), QPointF(30, 44)});
    bubble.addPolygon(tail);
    p.fillPath(bubble.simplified(), QColor(0x2f, 0x6f, 0xd6));
    p.setBrush(Qt::white);
    p.setPen(Qt::NoPen);
    for (int x : {18, 32, 46})
        p.drawEllipse(QPointF(x, 26), 4.5, 4.5);
    p.end();
    return QIcon(pixmap);
}

QIcon TrayIcon::badgedIcon(const QIcon &base, int count)
{
    if (count <= 0)
        return base;
    QPixmap pixmap = base.pixmap(kIconSize, kIconSize);
    QPainter p(&pixmap);
    p.setRenderHint(QPainter::Antialiasing);
    const QRectF badge(kIconSize * 0.42, 0, kIconSize * 0.58, kIconSize * 0.58);
    p.setPen(Qt::NoPen);
    p.setBrush(QColor(0xd9, 0x30, 0x25));
    p.drawEllipse(badge);
    QFont font = p.font();
    font.setBold(true);
    font.setPixelSize(count > 99 ? int(kIconSize * 0.22) : int(kIconSize * 0.32));
    p.setFont(font);
    p.setPen(Qt::white);
    p.drawText(badge, Qt::AlignCenter, count > 99 ? u"99+"_s : QString::number(count));
    p.end();
    return QIcon(pixmap);
}

QString TrayIcon::toolTipFor(int count)
{
    if (count <= 0)
        return tr("Natter");
    return tr("Natter — %n unread", nullptr, count);
}

} // namespace natter::app

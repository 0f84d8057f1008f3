#include "client/cli/clicommand.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <cstdio>

namespace natter::cli {

using namespace Qt::StringLiterals;
using client::ChatClient;
using client::Connection;
using client::LocalMessage;

namespace {
QJsonObject messageJson(const LocalMessage &m)
{
    // The contract's `message` envelope, with the own message's state as this client knows it.
    QJsonObject o = protocol::ChatMessage{m.id, m.from, m.to, m.body, m.cid, m.tsMs, {}}.toJson();
    if (m.isOwn)
        o.insert("state"_L1, client::messageStateName(m.state));
    return o;
}

QString stateName(Connection::State s)
{
    switch (s) {
    case Connection::State::Offline: return u"offline"_s;
    case Connection::State::Connecting: return u"connecting"_s;
    case Connection::State::Online: return u"online"_s;
    case Connection::State::Reconnecting: return u"reconnecting"_s;
    }
    return {};
}
} // namespace

CliCommand::CliCommand(ChatClient &client, QString command, QStringList args, int timeoutMs, QObject *parent)
    : QObject(parent), m_client(client), m_command(std::move(command)), m_args(std::move(args))
{
    m_timeout.setSingleShot(true);
    m_timeout.setInterval(timeoutMs);
    connect(&m_timeout, &QTimer::timeout, this, [this] {
        if (m_command == "send"_L1 && m_client.user().size() > 0)
            finish(Failed, u"no answer from the server in time; the message stays queued and is sent next time"_s);
        else
            finish(Unreachable, u"could not reach the server at %1: %2"_s.arg(
                                    m_client.connection().server().toString(), m_client.connection().lastError()));
    });
}

bool CliCommand::validate() const
{
    static const QHash<QString, int> arity = {{u"send"_s, 2}, {u"listen"_s, 0}, {u"history"_s, 1},
                                              {u"users"_s, 0}, {u"rooms"_s, 0}, {u"join"_s, 1}};
    const auto it = arity.constFind(m_command);
    if (it == arity.cend()) {
        std::fprintf(stderr, "natter-cli: unknown command '%s' (send, listen, history, users, rooms, join)\n",
                     qPrintable(m_command));
        return false;
    }
    if (m_args.size() != *it) {
        std::fprintf(stderr, "natter-cli: '%s' takes %d argument(s), got %d\n", qPrintable(m_command), *it,
                     int(m_args.size()));
        return false;
    }
    return true;
}

void CliCommand::printJson(const QJsonObject &object)
{
    const QByteArray line = QJsonDocument(object).toJson(QJsonDocument::Compact);
    std::fwrite(line.constData(), 1, size_t(line.size()), stdout);
    std::fputc('\n', stdout);
    std::fflush(stdout);
}

void CliCommand::finish(int code, const QString &error)
{
    if (m_done)
        return;
    m_done = true;
    if (!error.isEmpty())
        std::fprintf(stderr, "natter-cli: %s\n", qPrintable(error));
    emit finished(code);
}

void CliCommand::start()
{
    ChatClient &c = m_client;
    const bool listening = m_command == "listen"_L1;
    connect(&c, &ChatClient::authenticationFailed, this, [this](protocol::ErrorCode code, const QString &message) {
        finish(AuthFailed, u"sign-in refused (%1): %2"_s.arg(protocol::errorCodeName(code), message));
    });
    connect(&c, &ChatClient::signedIn, this, &CliCommand::onSignedIn);
    connect(&c, &ChatClient::errorReceived, this, [this](const QString &rid, protocol::ErrorCode code, const QString &msg) {
        if (!m_pending.isEmpty() && rid == m_pending)
            finish(Failed, u"%1: %2"_s.arg(protocol::errorCodeName(code), msg));
    });
    connect(&c, &ChatClient::requestNotSent, this, [this](const QString &rid) {
        if (!m_pending.isEmpty() && rid == m_pending)
            finish(Failed, u"offline: not connected to the server"_s);
    });
    if (listening) {
        connect(&c, &ChatClient::connectionStateChanged, this, [this](Connection::State s) {
            QJsonObject o{{"type"_L1, u"connection"_s}, {"state"_L1, stateName(s)},
                          {"transport"_L1, client::transportName(m_client.connection().transport())}};
            if (s == Connection::State::Reconnecting)
                o.insert("retry_in_ms"_L1, m_client.connection().reconnectDelayMs());
            printJson(o);
        });
        connect(&c, &ChatClient::transportChanged, this, [](client::TransportKind k) {
            printJson({{"type"_L1, u"transport"_s}, {"transport"_L1, client::transportName(k)}});
        });
        connect(&c, &ChatClient::messageAdded, this, [](const LocalMessage &m) {
            if (!m.isOwn || m.id > 0)
                printJson(messageJson(m));
        });
        connect(&c, &ChatClient::presenceChanged, this, [](const QString &user, bool online) {
            printJson({{"type"_L1, u"presence"_s}, {"user"_L1, user}, {"online"_L1, online}});
        });
    } else {
        m_timeout.start();
    }
    c.start();
}

template <typename... Args, typename Print>
void CliCommand::finishOnAnswer(void (ChatClient::*answer)(const QString &, Args...), Print print)
{
    connect(&m_client, answer, this, [this, print](const QString &rid, Args... args) {
        if (rid != m_pending)
            return;
        print(args...);
        finish(Ok);
    });
}

void CliCommand::onSignedIn()
{
    ChatClient &c = m_client;
    if (m_command == "send"_L1) {
        if (!m_pending.isEmpty())
            return; // signed in again after a reconnect: the outbox resends it
        m_pending = c.sendMessage(m_args[0], m_args[1]);
        connect(&c, &ChatClient::messageStateChanged, this,
                [this](const QString &cid, qint64 id, client::MessageState state) {
                    if (cid != m_pending)
                        return;
                    if (state == client::MessageState::Sent) {
                        printJson({{"type"_L1, u"sent"_s}, {"cid"_L1, cid}, {"id"_L1, id}});
                        finish(Ok);
                    } else if (state == client::MessageState::Failed) {
                        finish(Failed, u"the server refused the message"_s);
                    }
                });
    } else if (m_command == "history"_L1) {
        m_pending = c.requestHistory(m_args[0], 0, 200);
        finishOnAnswer(&ChatClient::historyReceived, [](const QString &, const QList<LocalMessage> &messages) {
            for (const LocalMessage &m : messages)
                printJson(messageJson(m));
        });
    } else if (m_command == "users"_L1) {
        m_pending = c.requestUsers();
        finishOnAnswer(&ChatClient::usersReceived, [](const QList<protocol::UserInfo> &users) {
            for (const auto &u : users)
                printJson({{"user"_L1, u.user}, {"online"_L1, u.online}});
        });
    } else if (m_command == "rooms"_L1) {
        m_pending = c.requestRooms();
        finishOnAnswer(&ChatClient::roomsReceived, [](const QList<protocol::RoomInfo> &rooms) {
            for (const auto &r : rooms)
                printJson({{"room"_L1, r.room}, {"members"_L1, r.members}});
        });
    } else if (m_command == "join"_L1) {
        m_pending = c.join(m_args[0]);
        finishOnAnswer(&ChatClient::joined, [](const QString &room, const QStringList &members) {
            printJson({{"type"_L1, u"joined"_s}, {"room"_L1, room}, {"members"_L1, QJsonArray::fromStringList(members)}});
        });
    }
}

} // namespace natter::cli

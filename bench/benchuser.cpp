#include "bench/benchuser.h"

#include "bench/benchlog.h"

#include <utility>
#include <variant>

namespace natter::bench {

using namespace Qt::StringLiterals;

namespace {
constexpr qsizetype kMaxAckBatch = 500;

template <typename... Fs> struct Overloaded : Fs... {
    using Fs::operator()...;
};
} // namespace

BenchUser::BenchUser(int index, QString name, std::unique_ptr<Transport> transport, int ackDelayMs,
                     QObject *parent)
    : QObject(parent)
    , m_index(index)
    , m_name(std::move(name))
    , m_transport(transport.release())
{
    m_transport->setParent(this);
    m_ackTimer.setSingleShot(true);
    m_ackTimer.setInterval(ackDelayMs);
    connect(&m_ackTimer, &QTimer::timeout, this, &BenchUser::flushAcks);
    connect(m_transport, &Transport::opened, this, [this] { m_transport->send(m_auth); });
    connect(m_transport, &Transport::eventReceived, this, &BenchUser::onEvent);
    connect(m_transport, &Transport::failed, this, &BenchUser::failed);
    connect(m_transport, &Transport::closed, this, &BenchUser::closed);
}

void BenchUser::registerUser(const QString &password, const QString &device)
{
    authenticate(protocol::RegisterRequest{m_name, password, device});
}

void BenchUser::resume(const QString &token, const QString &device)
{
    authenticate(protocol::ResumeRequest{token, device});
}

void BenchUser::authenticate(protocol::RequestBody request)
{
    m_auth = protocol::Request{{}, false, std::move(request)};
    m_transport->open();
}

void BenchUser::request(protocol::RequestBody body)
{
    m_transport->send(protocol::Request{{}, false, std::move(body)});
}

void BenchUser::join(const QString &room)
{
    request(protocol::JoinRequest{room});
}

void BenchUser::send(const QString &to, const QString &body, const QString &cid)
{
    request(protocol::SendRequest{to, body, cid});
}

void BenchUser::ack(qint64 id)
{
    m_pendingAcks.append(id);
    if (m_pendingAcks.size() >= kMaxAckBatch)
        flushAcks();
    else if (!m_ackTimer.isActive())
        m_ackTimer.start();
}

void BenchUser::flushAcks()
{
    m_ackTimer.stop();
    if (m_pendingAcks.isEmpty() || !m_transport->isOpen())
        return;
    request(protocol::AckRequest{std::exchange(m_pendingAcks, {})});
}

bool BenchUser::close()
{
    flushAcks();
    return m_transport->close();
}

void BenchUser::onEvent(const protocol::ServerEvent &event)
{
    // The transport parsed the envelope strictly: a welcome has a token, a sent a valid id and cid.
    std::visit(Overloaded{
                   [this](const protocol::ChatMessage &message) { emit messageReceived(message); },
                   [this](const protocol::SentEvent &sent) { emit sentReceived(sent.cid, sent.id); },
                   [this](const protocol::WelcomeEvent &welcome) {
                       m_token = welcome.token;
                       m_ready = true;
                       emit ready();
                   },
                   [this](const protocol::JoinedEvent &room) { emit joined(room.room, int(room.members.size())); },
                   [this](const protocol::ErrorEvent &error) {
                       emit failed(u"server error '%1': %2"_s.arg(protocol::errorCodeName(error.code), error.message));
                   },
                   [this, &event](const auto &) {
                       ++m_ignoredEvents;
                       qCDebug(lcBench) << m_name << "ignores" << event.typeName();
                   },
               },
               event.body);
}

} // namespace natter::bench

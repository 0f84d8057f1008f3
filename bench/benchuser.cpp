#include "bench/benchuser.h"

#include "bench/benchlog.h"

#include <QJsonArray>

namespace natter::bench {

using namespace Qt::StringLiterals;

namespace {
constexpr qsizetype kMaxAckBatch = 500;
}

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
    connect(m_transport, &Transport::opened, this, [this] { m_transport->sendEnvelope(m_auth); });
    connect(m_transport, &Transport::envelopeReceived, this, &BenchUser::onEnvelope);
    connect(m_transport, &Transport::failed, this, &BenchUser::failed);
    connect(m_transport, &Transport::closed, this, &BenchUser::closed);
}

void BenchUser::registerUser(const QString &password, const QString &device)
{
    authenticate({{"type"_L1, u"register"_s},
                  {"user"_L1, m_name},
                  {"password"_L1, password},
                  {"device"_L1, device}});
}

void BenchUser::resume(const QString &token, const QString &device)
{
    authenticate({{"type"_L1, u"resume"_s}, {"token"_L1, token}, {"device"_L1, device}});
}

void BenchUser::authenticate(const QJsonObject &envelope)
{
    m_auth = envelope;
    m_transport->open();
}

void BenchUser::join(const QString &room)
{
    m_transport->sendEnvelope({{"type"_L1, u"join"_s}, {"room"_L1, room}});
}

void BenchUser::send(const QString &to, const QString &body, const QString &cid)
{
    m_transport->sendEnvelope({{"type"_L1, u"send"_s}, {"to"_L1, to}, {"body"_L1, body}, {"cid"_L1, cid}});
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
    QJsonArray ids;
    for (qint64 id : std::as_const(m_pendingAcks))
        ids.append(id);
    m_pendingAcks.clear();
    m_transport->sendEnvelope({{"type"_L1, u"ack"_s}, {"ids"_L1, ids}});
}

bool BenchUser::close()
{
    flushAcks();
    return m_transport->close();
}

void BenchUser::onEnvelope(const QJsonObject &envelope)
{
    const QString type = envelope.value("type"_L1).toString();
    if (type == "message"_L1) {
        const auto message = protocol::ChatMessage::fromJson(envelope);
        if (!message) {
            emit failed(u"malformed 'message' envelope: %1"_s.arg(QString::fromUtf8(protocol::encode(envelope))));
            return;
        }
        emit messageReceived(*message);
    } else if (type == "sent"_L1) {
        const QJsonValue id = envelope.value("id"_L1);
        if (!envelope.value("cid"_L1).isString() || !id.isDouble() || id.toInteger() < 1) {
            emit failed(u"malformed 'sent' envelope: %1"_s.arg(QString::fromUtf8(protocol::encode(envelope))));
            return;
        }
        emit sentReceived(envelope.value("cid"_L1).toString(), id.toInteger());
    } else if (type == "welcome"_L1) {
        m_token = envelope.value("token"_L1).toString();
        if (m_token.isEmpty()) {
            emit failed(u"'welcome' without a token"_s);
            return;
        }
        m_ready = true;
        emit ready();
    } else if (type == "joined"_L1) {
        emit joined(envelope.value("room"_L1).toString(), int(envelope.value("members"_L1).toArray().size()));
    } else if (type == "error"_L1) {
        emit failed(u"server error '%1': %2"_s.arg(envelope.value("code"_L1).toString(),
                                                   envelope.value("message"_L1).toString()));
    } else {
        ++m_ignoredEvents;
        qCDebug(lcBench) << m_name << "ignores" << type;
    }
}

} // namespace natter::bench

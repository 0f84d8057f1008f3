<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ko_KR">
<context>
    <name>main</name>
    <message>
        <source>Natter</source>
        <translation>Natter</translation>
    </message>
    <message>
        <source>Natter: chat on your local network.</source>
        <translation>Natter: 로컬 네트워크에서 대화하세요.</translation>
    </message>
    <message>
        <source>Use a separate profile (settings, accounts, local server): two profiles on one machine are two people.</source>
        <translation>별도의 프로필(설정, 계정, 로컬 서버)을 사용합니다. 한 컴퓨터의 두 프로필은 서로 다른 두 사람입니다.</translation>
    </message>
    <message>
        <source>natter: profile names are 1 to 64 letters, digits, &apos;_&apos;, &apos;.&apos; or &apos;-&apos;</source>
        <translation>natter: 프로필 이름은 1~64자의 영문자, 숫자, &apos;_&apos;, &apos;.&apos;, &apos;-&apos;만 쓸 수 있습니다</translation>
    </message>
    <message>
        <source>Show the app in this language (for example en or ko) instead of the one in the settings or the system&apos;s.</source>
        <translation>설정이나 시스템 언어 대신 이 언어(예: en, ko)로 앱을 표시합니다.</translation>
    </message>
    <message>
        <source>natter: --port takes a number from 0 to 65535</source>
        <translation>natter: --port에는 0부터 65535까지의 숫자를 지정하세요</translation>
    </message>
    <message>
        <source>Start a local server when the app comes up (SQLite in the profile&apos;s app-data folder) and fill the sign-in dialog with its address.</source>
        <translation>앱을 시작할 때 로컬 서버(프로필의 앱 데이터 폴더에 SQLite 사용)를 시작하고 로그인 창에 그 주소를 채워 넣습니다.</translation>
    </message>
    <message>
        <source>The port of the local server; only together with --local-server (default: the one in the settings, 7470; 0 picks a free one). To sign in to a server on another port, type HOST:PORT in the sign-in dialog.</source>
        <translation>로컬 서버의 포트입니다. --local-server와 함께만 쓸 수 있습니다(기본값: 설정에 저장된 포트, 7470. 0이면 빈 포트를 자동으로 고릅니다). 다른 포트의 서버에 로그인하려면 로그인 창에 HOST:PORT를 입력하세요.</translation>
    </message>
    <message>
        <source>natter: --port is the port of the local server: use it with --local-server (to sign in to a server on another port, type HOST:PORT in the sign-in dialog)</source>
        <translation>natter: --port는 로컬 서버의 포트입니다. --local-server와 함께 쓰세요(다른 포트의 서버에 로그인하려면 로그인 창에 HOST:PORT를 입력하세요)</translation>
    </message>
</context>
<context>
    <name>natter::app::Composer</name>
    <message>
        <source>Write a message… (Enter sends, Shift+Enter for a new line)</source>
        <translation>메시지를 입력하세요… (Enter: 보내기, Shift+Enter: 줄 바꿈)</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>메시지</translation>
    </message>
</context>
<context>
    <name>natter::app::ConnectionDiagnostics</name>
    <message>
        <source>Server</source>
        <translation>서버</translation>
    </message>
    <message>
        <source>Server version</source>
        <translation>서버 버전</translation>
    </message>
    <message>
        <source>State</source>
        <translation>상태</translation>
    </message>
    <message>
        <source>Transport</source>
        <translation>전송 방식</translation>
    </message>
    <message>
        <source>Why WebSocket failed</source>
        <translation>WebSocket 실패 이유</translation>
    </message>
    <message>
        <source>Last error</source>
        <translation>마지막 오류</translation>
    </message>
    <message>
        <source>Round-trip time</source>
        <translation>왕복 시간</translation>
    </message>
    <message>
        <source>Last heard from the server</source>
        <translation>서버 응답을 마지막으로 받은 시각</translation>
    </message>
    <message>
        <source>Reconnect attempts</source>
        <translation>재연결 시도 횟수</translation>
    </message>
    <message>
        <source>User</source>
        <translation>사용자</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>기기</translation>
    </message>
    <message>
        <source>Natter version</source>
        <translation>Natter 버전</translation>
    </message>
    <message>
        <source>Not signed in</source>
        <translation>로그인하지 않음</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>Unknown (not announced on this network)</source>
        <translation>알 수 없음 (이 네트워크에 알려지지 않음)</translation>
    </message>
    <message>
        <source>Online</source>
        <translation>온라인</translation>
    </message>
    <message>
        <source>Connecting</source>
        <translation>연결 중</translation>
    </message>
    <message numerus="yes">
        <source>Reconnecting in %n s</source>
        <translation>
            <numerusform>%n초 후 다시 연결</numerusform>
        </translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>오프라인</translation>
    </message>
    <message>
        <source>WebSocket</source>
        <translation>WebSocket</translation>
    </message>
    <message>
        <source>Long polling</source>
        <translation>롱 폴링</translation>
    </message>
    <message>
        <source>None: WebSocket has not failed</source>
        <translation>없음: WebSocket이 실패한 적 없음</translation>
    </message>
    <message>
        <source>None</source>
        <translation>없음</translation>
    </message>
    <message>
        <source>Not measured yet</source>
        <translation>아직 측정하지 않음</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1ms</translation>
    </message>
    <message>
        <source>Nothing heard yet</source>
        <translation>아직 받은 응답 없음</translation>
    </message>
    <message numerus="yes">
        <source>%1 (%n s ago)</source>
        <translation>
            <numerusform>%1 (%n초 전)</numerusform>
        </translation>
    </message>
    <message>
        <source>Natter connection diagnostics, %1</source>
        <translation>Natter 연결 진단, %1</translation>
    </message>
</context>
<context>
    <name>natter::app::ConnectionStatusLabel</name>
    <message>
        <source>Connection status</source>
        <translation>연결 상태</translation>
    </message>
    <message>
        <source>Not signed in</source>
        <translation>로그인하지 않음</translation>
    </message>
    <message>
        <source>WebSocket</source>
        <translation>WebSocket</translation>
    </message>
    <message>
        <source>long polling</source>
        <translation>롱 폴링</translation>
    </message>
    <message>
        <source>Online · %1 · %2</source>
        <translation>온라인 · %1 · %2</translation>
    </message>
    <message>
        <source>Connecting to %1…</source>
        <translation>%1에 연결하는 중…</translation>
    </message>
    <message numerus="yes">
        <source>Reconnecting in %n s · %1</source>
        <translation>
            <numerusform>%n초 후 다시 연결 · %1</numerusform>
        </translation>
    </message>
    <message>
        <source>Offline · %1</source>
        <translation>오프라인 · %1</translation>
    </message>
    <message>
        <source>Click for the connection diagnostics</source>
        <translation>클릭하면 연결 진단을 엽니다</translation>
    </message>
</context>
<context>
    <name>natter::app::ConversationDelegate</name>
    <message>
        <source>typing…</source>
        <translation>입력 중…</translation>
    </message>
</context>
<context>
    <name>natter::app::ConversationPane</name>
    <message>
        <source>Pick a conversation, or double-click a person.</source>
        <translation>대화를 고르거나 사람을 두 번 클릭하세요.</translation>
    </message>
    <message>
        <source>Messages</source>
        <translation>메시지</translation>
    </message>
    <message>
        <source>Typing</source>
        <translation>입력 중</translation>
    </message>
    <message>
        <source>Enter sends, Shift+Enter starts a new line</source>
        <translation>Enter로 보내고 Shift+Enter로 줄을 바꿉니다</translation>
    </message>
    <message>
        <source>%1 is typing…</source>
        <translation>%1 님이 입력 중…</translation>
    </message>
    <message>
        <source>%1 are typing…</source>
        <translation>%1 님이 입력 중…</translation>
    </message>
    <message>
        <source>The message is too long.</source>
        <translation>메시지가 너무 깁니다.</translation>
    </message>
</context>
<context>
    <name>natter::app::DiagnosticsDialog</name>
    <message>
        <source>Connection diagnostics</source>
        <translation>연결 진단</translation>
    </message>
    <message>
        <source>%1:</source>
        <translation>%1:</translation>
    </message>
    <message>
        <source>&amp;Reconnect now</source>
        <translation>지금 다시 연결(&amp;R)</translation>
    </message>
    <message>
        <source>Skips the wait and tries to reach the server at once</source>
        <translation>기다리지 않고 바로 서버에 연결을 시도합니다</translation>
    </message>
    <message>
        <source>&amp;Copy to clipboard</source>
        <translation>클립보드에 복사(&amp;C)</translation>
    </message>
    <message>
        <source>Copies this report as plain text, for a bug report</source>
        <translation>버그 신고용으로 이 보고서를 일반 텍스트로 복사합니다</translation>
    </message>
    <message>
        <source>Copy result</source>
        <translation>복사 결과</translation>
    </message>
    <message>
        <source>The report is on the clipboard.</source>
        <translation>보고서를 클립보드에 복사했습니다.</translation>
    </message>
</context>
<context>
    <name>natter::app::MainWindow</name>
    <message>
        <source>Natter</source>
        <translation>Natter</translation>
    </message>
    <message>
        <source>The local server did not start: %1</source>
        <translation>로컬 서버를 시작하지 못했습니다: %1</translation>
    </message>
    <message>
        <source>&amp;Natter</source>
        <translation>Natter(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Sign in…</source>
        <translation>로그인(&amp;S)…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>종료(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Server</source>
        <translation>서버(&amp;S)</translation>
    </message>
    <message>
        <source>S&amp;tart local server…</source>
        <translation>로컬 서버 시작(&amp;T)…</translation>
    </message>
    <message>
        <source>St&amp;op local server</source>
        <translation>로컬 서버 중지(&amp;O)</translation>
    </message>
    <message>
        <source>&amp;Conversation</source>
        <translation>대화(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Join room…</source>
        <translation>방 참여(&amp;J)…</translation>
    </message>
    <message>
        <source>Could not join %1: %2</source>
        <translation>%1에 참여하지 못했습니다: %2</translation>
    </message>
    <message>
        <source>Natter — %1</source>
        <translation>Natter — %1</translation>
    </message>
    <message>
        <source>Local server on port %1</source>
        <translation>로컬 서버 실행 중(포트 %1)</translation>
    </message>
    <message>
        <source>Starting local server…</source>
        <translation>로컬 서버를 시작하는 중…</translation>
    </message>
    <message>
        <source>Stopping local server…</source>
        <translation>로컬 서버를 중지하는 중…</translation>
    </message>
    <message>
        <source>%1&apos;s Natter</source>
        <translation>%1의 Natter</translation>
    </message>
    <message>
        <source>Join room</source>
        <translation>방 참여</translation>
    </message>
    <message>
        <source>Room names are # and 1 to 32 letters, digits, &apos;_&apos;, &apos;.&apos; or &apos;-&apos;.</source>
        <translation>방 이름은 # 뒤에 1~32자의 영문자, 숫자, &apos;_&apos;, &apos;.&apos;, &apos;-&apos;를 붙여 씁니다.</translation>
    </message>
    <message>
        <source>Se&amp;ttings…</source>
        <translation>설정(&amp;T)…</translation>
    </message>
    <message>
        <source>Local server status</source>
        <translation>로컬 서버 상태</translation>
    </message>
    <message>
        <source>S&amp;witch account…</source>
        <translation>계정 전환(&amp;W)…</translation>
    </message>
    <message>
        <source>Sign &amp;out</source>
        <translation>로그아웃(&amp;O)</translation>
    </message>
    <message>
        <source>&amp;New direct chat…</source>
        <translation>새 1:1 대화(&amp;N)…</translation>
    </message>
    <message>
        <source>&amp;Find conversation</source>
        <translation>대화 찾기(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>도움말(&amp;H)</translation>
    </message>
    <message>
        <source>Connection &amp;diagnostics…</source>
        <translation>연결 진단(&amp;D)…</translation>
    </message>
    <message>
        <source>Signing out…</source>
        <translation>로그아웃하는 중…</translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>로그아웃</translation>
    </message>
    <message numerus="yes">
        <source>%n messages you wrote as %1 have not been sent yet.</source>
        <translation>
            <numerusform>%1(으)로 작성한 메시지 %n개가 아직 보내지지 않았습니다.</numerusform>
        </translation>
    </message>
    <message>
        <source>They stay on this computer and are sent the next time you sign in as %1. Sign out anyway?</source>
        <translation>이 메시지들은 이 컴퓨터에 남아 있다가 다음에 %1(으)로 로그인하면 보내집니다. 그래도 로그아웃할까요?</translation>
    </message>
    <message>
        <source>Switch account</source>
        <translation>계정 전환</translation>
    </message>
    <message numerus="yes">
        <source>%n messages not sent yet will be sent next time you sign in as %1.</source>
        <translation>
            <numerusform>아직 보내지 않은 메시지 %n개는 다음에 %1(으)로 로그인할 때 보내집니다.</numerusform>
        </translation>
    </message>
    <message>
        <source>S&amp;witch account</source>
        <translation>계정 전환(&amp;W)</translation>
    </message>
    <message>
        <source>Signed out %1.</source>
        <translation>%1 계정에서 로그아웃했습니다.</translation>
    </message>
    <message>
        <source>Signed out %1 on this computer. The server could not be reached, so it was not told.</source>
        <translation>이 컴퓨터에서 %1 계정을 로그아웃했습니다. 서버에 연결할 수 없어 서버에는 알리지 못했습니다.</translation>
    </message>
    <message>
        <source>Left the session of %1. It stays on this computer: signing in as %1 again needs no password.</source>
        <translation>%1 세션에서 나왔습니다. 세션은 이 컴퓨터에 남아 있어 다시 %1(으)로 로그인할 때 비밀번호가 필요 없습니다.</translation>
    </message>
    <message>
        <source>Your session as %1 on %2 has ended: it was signed out, or the server no longer knows it. Enter your password to sign in again.</source>
        <translation>%2에서 %1의 세션이 끝났습니다. 로그아웃되었거나 서버가 더 이상 이 세션을 알지 못합니다. 다시 로그인하려면 비밀번호를 입력하세요.</translation>
    </message>
    <message>
        <source>New direct chat</source>
        <translation>새 1:1 대화</translation>
    </message>
    <message>
        <source>&amp;User to chat with:</source>
        <translation>대화할 사용자(&amp;U):</translation>
    </message>
    <message>
        <source>User names are 1 to 32 letters, digits, &apos;_&apos;, &apos;.&apos; or &apos;-&apos;.</source>
        <translation>사용자 이름은 1~32자의 영문자, 숫자, &apos;_&apos;, &apos;.&apos;, &apos;-&apos;만 쓸 수 있습니다.</translation>
    </message>
    <message>
        <source>&amp;Room to join or create (for example #general):</source>
        <translation>참여하거나 만들 방 이름(&amp;R) (예: #general):</translation>
    </message>
    <message>
        <source>Not connected to the server.</source>
        <translation>서버에 연결되어 있지 않습니다.</translation>
    </message>
</context>
<context>
    <name>natter::app::MessageDelegate</name>
    <message>
        <source>queued</source>
        <translation>대기 중</translation>
    </message>
    <message>
        <source>sent</source>
        <translation>보냄</translation>
    </message>
    <message>
        <source>delivered</source>
        <translation>전달됨</translation>
    </message>
    <message>
        <source>read</source>
        <translation>읽음</translation>
    </message>
    <message>
        <source>not sent</source>
        <translation>보내지 못함</translation>
    </message>
    <message>
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
</context>
<context>
    <name>natter::app::MessageView</name>
    <message>
        <source>Messages</source>
        <translation>메시지</translation>
    </message>
    <message>
        <source>Open link</source>
        <translation>링크 열기</translation>
    </message>
    <message>
        <source>Copy link address</source>
        <translation>링크 주소 복사</translation>
    </message>
    <message>
        <source>Copy text</source>
        <translation>텍스트 복사</translation>
    </message>
</context>
<context>
    <name>natter::app::Notifier</name>
    <message>
        <source>%1 in %2</source>
        <translation>%2의 %1</translation>
    </message>
    <message>
        <source>From %1</source>
        <translation>%1 님의 메시지</translation>
    </message>
    <message numerus="yes">
        <source>%n new messages</source>
        <translation>
            <numerusform>새 메시지 %n개</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>natter::app::PersonDelegate</name>
    <message>
        <source>%1 (you)</source>
        <translation>%1 (나)</translation>
    </message>
    <message>
        <source>online</source>
        <translation>온라인</translation>
    </message>
    <message>
        <source>offline</source>
        <translation>오프라인</translation>
    </message>
</context>
<context>
    <name>natter::app::SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>설정</translation>
    </message>
    <message>
        <source>Show a &amp;notification for new messages when the window is not active</source>
        <translation>창이 활성화되어 있지 않을 때 새 메시지 알림 표시(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Start the local server when Natter starts (port %1)</source>
        <translation>Natter를 시작할 때 로컬 서버도 시작(&amp;S) (포트 %1)</translation>
    </message>
    <message>
        <source>&amp;Keep running in the system tray when the window is closed</source>
        <translation>창을 닫아도 시스템 트레이에서 계속 실행(&amp;K)</translation>
    </message>
    <message>
        <source>This desktop has no system tray right now: closing the window quits Natter.</source>
        <translation>지금 이 데스크톱에는 시스템 트레이가 없습니다. 창을 닫으면 Natter가 종료됩니다.</translation>
    </message>
    <message>
        <source>Automatic (system language)</source>
        <translation>자동 (시스템 언어)</translation>
    </message>
    <message>
        <source>The language applies after Natter restarts.</source>
        <translation>언어는 Natter를 다시 시작한 뒤에 적용됩니다.</translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation>언어(&amp;L):</translation>
    </message>
</context>
<context>
    <name>natter::app::Sidebar</name>
    <message>
        <source>Conversations</source>
        <translation>대화 목록</translation>
    </message>
    <message>
        <source>People</source>
        <translation>사람</translation>
    </message>
    <message>
        <source>Double-click a person, or press Enter, to chat</source>
        <translation>사람을 두 번 클릭하거나 Enter를 누르면 대화를 시작합니다</translation>
    </message>
    <message>
        <source>Chats and people</source>
        <translation>대화와 사람</translation>
    </message>
    <message>
        <source>Cha&amp;ts</source>
        <translation>대화(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;People</source>
        <translation>사람(&amp;P)</translation>
    </message>
</context>
<context>
    <name>natter::app::SignInDialog</name>
    <message>
        <source>Sign in to Natter</source>
        <translation>Natter 로그인</translation>
    </message>
    <message>
        <source>Servers on this network</source>
        <translation>이 네트워크의 서버</translation>
    </message>
    <message>
        <source>host:port</source>
        <translation>호스트:포트</translation>
    </message>
    <message>
        <source>&amp;Create a new account</source>
        <translation>새 계정 만들기(&amp;C)</translation>
    </message>
    <message>
        <source>Servers &amp;heard on this network:</source>
        <translation>이 네트워크에서 찾은 서버(&amp;H):</translation>
    </message>
    <message>
        <source>&amp;Server:</source>
        <translation>서버(&amp;S):</translation>
    </message>
    <message>
        <source>&amp;User name:</source>
        <translation>사용자 이름(&amp;U):</translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation>비밀번호(&amp;P):</translation>
    </message>
    <message>
        <source>Sign &amp;in</source>
        <translation>로그인(&amp;I)</translation>
    </message>
    <message>
        <source>Create &amp;account</source>
        <translation>계정 만들기(&amp;A)</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>Enter the server&apos;s address, for example 192.168.1.5:7470, or pick a server from the list.</source>
        <translation>서버 주소(예: 192.168.1.5:7470)를 입력하거나 목록에서 서버를 고르세요.</translation>
    </message>
    <message>
        <source>User names are 1 to 32 letters, digits, &apos;_&apos;, &apos;.&apos; or &apos;-&apos;.</source>
        <translation>사용자 이름은 1~32자의 영문자, 숫자, &apos;_&apos;, &apos;.&apos;, &apos;-&apos;만 쓸 수 있습니다.</translation>
    </message>
    <message>
        <source>The local message store cannot be opened: %1</source>
        <translation>이 컴퓨터의 메시지 저장소를 열 수 없습니다: %1</translation>
    </message>
    <message>
        <source>Enter your password.</source>
        <translation>비밀번호를 입력하세요.</translation>
    </message>
    <message>
        <source>Wrong user name or password.</source>
        <translation>사용자 이름 또는 비밀번호가 올바르지 않습니다.</translation>
    </message>
    <message>
        <source>The name %1 is taken. Choose another name, or sign in without &quot;Create a new account&quot;.</source>
        <translation>%1은(는) 이미 사용 중인 이름입니다. 다른 이름을 고르거나 &quot;새 계정 만들기&quot;를 해제하고 로그인하세요.</translation>
    </message>
    <message>
        <source>The server refused to sign you in: %1</source>
        <translation>서버가 로그인을 거부했습니다: %1</translation>
    </message>
    <message>
        <source>The server at %1 cannot be reached. Check the address, or start a local server from the Server menu.</source>
        <translation>%1 서버에 연결할 수 없습니다. 주소를 확인하거나 서버 메뉴에서 로컬 서버를 시작하세요.</translation>
    </message>
    <message>
        <source>Accounts on this computer</source>
        <translation>이 컴퓨터의 계정</translation>
    </message>
    <message>
        <source>Pick an account to fill in its server and user name</source>
        <translation>계정을 고르면 서버와 사용자 이름이 채워집니다</translation>
    </message>
    <message>
        <source>Sign-in problem</source>
        <translation>로그인 문제</translation>
    </message>
    <message>
        <source>Accounts &amp;on this computer:</source>
        <translation>이 컴퓨터의 계정(&amp;O):</translation>
    </message>
    <message>
        <source>%1 on %2</source>
        <translation>%2의 %1</translation>
    </message>
    <message>
        <source>The saved session of %1 has ended. Enter your password to sign in again.</source>
        <translation>저장된 %1 세션이 끝났습니다. 다시 로그인하려면 비밀번호를 입력하세요.</translation>
    </message>
</context>
<context>
    <name>natter::app::StartServerDialog</name>
    <message>
        <source>Start local server</source>
        <translation>로컬 서버 시작</translation>
    </message>
    <message>
        <source>Port</source>
        <translation>포트</translation>
    </message>
    <message>
        <source>&amp;Port:</source>
        <translation>포트(&amp;P):</translation>
    </message>
    <message>
        <source>Others connect to:</source>
        <translation>다른 사람이 접속할 주소:</translation>
    </message>
    <message>
        <source>&amp;Start</source>
        <translation>시작(&amp;S)</translation>
    </message>
    <message>
        <source>No network: only this computer (127.0.0.1:%1)</source>
        <translation>네트워크 없음: 이 컴퓨터에서만 접속 가능 (127.0.0.1:%1)</translation>
    </message>
    <message>
        <source>No other Natter server is announced on this network.</source>
        <translation>이 네트워크에서 알려진 다른 Natter 서버가 없습니다.</translation>
    </message>
    <message>
        <source>A server is already running on this network: %1 at %2:%3. Use it, so that everybody on the network meets in one place?</source>
        <translation>이 네트워크에서 이미 서버가 실행 중입니다: %1 (%2:%3). 네트워크의 모두가 한곳에서 만날 수 있도록 그 서버를 사용할까요?</translation>
    </message>
    <message>
        <source>&amp;Use that server</source>
        <translation>그 서버 사용(&amp;U)</translation>
    </message>
</context>
<context>
    <name>natter::app::TrayIcon</name>
    <message>
        <source>&amp;Show Natter</source>
        <translation>Natter 보기(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>종료(&amp;Q)</translation>
    </message>
    <message>
        <source>Natter</source>
        <translation>Natter</translation>
    </message>
    <message numerus="yes">
        <source>Natter — %n unread</source>
        <translation>
            <numerusform>Natter — 읽지 않은 메시지 %n개</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>natter::client::ChatClient</name>
    <message>
        <source>The message could not be saved on this computer.</source>
        <translation>메시지를 이 컴퓨터에 저장하지 못했습니다.</translation>
    </message>
</context>
<context>
    <name>natter::client::ConversationListModel</name>
    <message>
        <source>%1 (you)</source>
        <comment>the conversation with oneself (notes)</comment>
        <translation>%1 (나)</translation>
    </message>
</context>
<context>
    <name>natter::client::MessageListModel</name>
    <message>
        <source>Today</source>
        <translation>오늘</translation>
    </message>
    <message>
        <source>Yesterday</source>
        <translation>어제</translation>
    </message>
    <message>
        <source>Not connected to the server.</source>
        <translation>서버에 연결되어 있지 않습니다.</translation>
    </message>
</context>
<context>
    <name>natter::client::PeopleModel</name>
    <message>
        <source>%1, online</source>
        <translation>%1, 온라인</translation>
    </message>
    <message>
        <source>%1, offline</source>
        <translation>%1, 오프라인</translation>
    </message>
</context>
</TS>

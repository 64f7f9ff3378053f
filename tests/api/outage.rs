//! PostgreSQL going away while serving: answers turn into quick, coded 503s
//! (never a hang), `/healthz` stays up, and the server recovers by itself.
//! The outage is made with a TCP proxy in front of PostgreSQL, so the other
//! tests' databases are not disturbed.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::json;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

use crate::helpers::{Backend, TestDatabase};

/// A switchable TCP proxy to PostgreSQL on 127.0.0.1:5432.
struct Proxy {
    port: u16,
    up: Arc<AtomicBool>,
    cut: watch::Sender<u64>,
}

impl Proxy {
    async fn start() -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let up = Arc::new(AtomicBool::new(true));
        let (cut, _) = watch::channel(0_u64);
        let (accept_up, accept_cut) = (up.clone(), cut.clone());
        tokio::spawn(async move {
            loop {
                let Ok((mut client, _)) = listener.accept().await else {
                    return;
                };
                if !accept_up.load(Ordering::SeqCst) {
                    drop(client); // refused: closed at once
                    continue;
                }
                let mut cut_rx = accept_cut.subscribe();
                tokio::spawn(async move {
                    let Ok(mut server) = TcpStream::connect("127.0.0.1:5432").await else {
                        return;
                    };
                    tokio::select! {
                        _ = tokio::io::copy_bidirectional(&mut client, &mut server) => {}
                        _ = cut_rx.changed() => {}
                    }
                });
            }
        });
        Proxy { port, up, cut }
    }

    /// Stops PostgreSQL as the server sees it: open connections are cut, new ones closed.
    fn down(&self) {
        self.up.store(false, Ordering::SeqCst);
        self.cut.send_modify(|n| *n += 1);
    }

    fn up(&self) {
        self.up.store(true, Ordering::SeqCst);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_database_outage_gives_quick_503s_and_the_server_recovers_by_itself() {
    let database = TestDatabase::new(Backend::Postgres).await;
    let proxy = Proxy::start().await;
    let through_proxy = database
        .url
        .replace("127.0.0.1:5432", &format!("127.0.0.1:{}", proxy.port));
    assert_ne!(
        through_proxy, database.url,
        "the URL goes through the proxy"
    );
    let mut settings = ordergraph::config::Settings::for_database(&through_proxy);
    settings.listen = "127.0.0.1:0".to_owned();
    let app = ordergraph::startup::App::build(settings).await.unwrap();
    let key = app.demo_key().unwrap().to_owned();
    let base = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until(std::future::pending()));
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let query = || {
        client
            .post(format!("{base}/graphql"))
            .bearer_auth(&key)
            .json(&json!({ "query": "{ channels { totalCount } }" }))
            .send()
    };
    assert_eq!(query().await.unwrap().status(), 200);

    proxy.down();
    let started = Instant::now();
    let response = query().await.unwrap();
    let took = started.elapsed();
    assert_eq!(response.status(), 503);
    assert!(response.headers().contains_key("retry-after"));
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(
        body["errors"][0]["extensions"]["code"],
        "DATABASE_UNAVAILABLE"
    );
    assert!(took < Duration::from_millis(2_500), "took {took:?}");
    let started = Instant::now();
    let ready = client.get(format!("{base}/readyz")).send().await.unwrap();
    assert_eq!(ready.status(), 503);
    assert!(started.elapsed() < Duration::from_millis(2_500));
    assert_eq!(
        client
            .get(format!("{base}/healthz"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );

    proxy.up();
    let back = Instant::now();
    loop {
        let status = query().await.unwrap().status();
        if status == 200 {
            break;
        }
        assert!(
            back.elapsed() < Duration::from_secs(5),
            "not recovered after 5 s (last status {status})"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(
        client
            .get(format!("{base}/readyz"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
}

#include "analysis/CodeExtractor.h"
#include "analysis/PatternDetector.h"

#include <QtTest>

using namespace codeworm;

class TestPatternDetector : public QObject
{
    Q_OBJECT

private slots:
    void detects_data();
    void detects();
    void rejects_data();
    void rejects();
    void callablesAndUnknownInputYieldNothing();
    void evidenceLineIsInsideTheFile();
    void rustImplBlockStandsForItsType();

private:
    static QList<DetectedPattern> detectIn(const QString &language, const QByteArray &source,
                                           const QString &typeName);
};

namespace {

QStringList strings(std::initializer_list<const char *> list)
{
    QStringList result;
    for (const char *item : list) {
        result << QString::fromUtf8(item);
    }
    return result;
}

void addDetectRow(const char *tag, const char *language, const char *source, const char *type,
                  const char *pattern, std::initializer_list<const char *> evidence)
{
    QTest::newRow(tag) << QString::fromUtf8(language) << QByteArray(source)
                       << QString::fromUtf8(type) << QString::fromUtf8(pattern)
                       << strings(evidence);
}

void addRejectRow(const char *tag, const char *language, const char *source, const char *type,
                  std::initializer_list<const char *> absent)
{
    QTest::newRow(tag) << QString::fromUtf8(language) << QByteArray(source)
                       << QString::fromUtf8(type) << strings(absent);
}

} // namespace

// The type symbol as the extractor reports it: detect() is fed with exactly that.
QList<DetectedPattern> TestPatternDetector::detectIn(const QString &language,
                                                     const QByteArray &source,
                                                     const QString &typeName)
{
    const FileAnalysis analysis = CodeExtractor::analyze(language, source);
    for (const CodeSymbol &symbol : analysis.symbols) {
        if (!symbol.isCallable() && symbol.name == typeName) {
            return PatternDetector::detect(language, source, symbol);
        }
    }
    qWarning("no type symbol %s", qPrintable(typeName));
    return {};
}

void TestPatternDetector::detects_data()
{
    QTest::addColumn<QString>("language");
    QTest::addColumn<QByteArray>("source");
    QTest::addColumn<QString>("type");
    QTest::addColumn<QString>("pattern");
    QTest::addColumn<QStringList>("evidence");

    // singleton
    addDetectRow("singleton python __new__", "python", R"(
class Settings:
    _instance = None

    def __new__(cls, *args, **kwargs):
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def get(self, key):
        return self._values.get(key)
)",
                 "Settings", "singleton", {"`_instance`", "`__new__()`"});
    addDetectRow("singleton java lazy", "java", R"(
public final class Config {
    private static Config instance;
    private final Properties props = new Properties();

    private Config() {}

    public static synchronized Config getInstance() {
        if (instance == null) {
            instance = new Config();
        }
        return instance;
    }
}
)",
                 "Config", "singleton",
                 {"`instance`", "of type Config", "`getInstance()`", "private constructor"});
    addDetectRow("singleton java enum", "java", R"(
public enum Registry {
    INSTANCE;

    private final Map<String, Handler> handlers = new HashMap<>();

    public void register(String name, Handler handler) { handlers.put(name, handler); }
}
)",
                 "Registry", "singleton", {"single constant"});
    addDetectRow("singleton typescript", "typescript", R"(
export class Database {
  private static instance: Database;
  private constructor(private readonly url: string) {}

  static getInstance(): Database {
    if (!Database.instance) {
      Database.instance = new Database(process.env.DB_URL ?? "");
    }
    return Database.instance;
  }

  query(sql: string): Promise<Row[]> { return run(this.url, sql); }
}
)",
                 "Database", "singleton", {"`instance`", "`getInstance()`", "private constructor"});
    addDetectRow("singleton javascript private static", "javascript", R"(
class EventBus {
  static #instance = null;

  static get() {
    if (!EventBus.#instance) {
      EventBus.#instance = new EventBus();
    }
    return EventBus.#instance;
  }
}
)",
                 "EventBus", "singleton", {"`#instance`", "`get()`"});
    addDetectRow("singleton cpp meyers", "cpp", R"(
class Logger {
public:
    static Logger &instance()
    {
        static Logger logger;
        return logger;
    }
    void log(const std::string &line);

private:
    Logger() = default;
};
)",
                 "Logger", "singleton", {"`instance()`", "`logger`", "private constructor"});
    addDetectRow("singleton cpp pointer", "cpp", R"(
class Registry {
public:
    static Registry *get();

private:
    Registry();
    static Registry *s_instance;
};

Registry *Registry::s_instance = nullptr;

Registry *Registry::get()
{
    if (!s_instance) {
        s_instance = new Registry();
    }
    return s_instance;
}
)",
                 "Registry", "singleton", {"`s_instance`", "`get()`", "private constructor"});
    addDetectRow("singleton go once", "go", R"(
package config

import "sync"

var (
	instance *Config
	once     sync.Once
)

type Config struct {
	values map[string]string
}

func Get() *Config {
	once.Do(func() {
		instance = &Config{values: load()}
	})
	return instance
}
)",
                 "Config", "singleton", {"`instance`", "`Get()`", "`once.Do`"});
    addDetectRow("singleton rust oncelock", "rust", R"(
use std::sync::OnceLock;

static REGISTRY: OnceLock<Registry> = OnceLock::new();

pub struct Registry {
    plugins: Vec<String>,
}

impl Registry {
    pub fn global() -> &'static Registry {
        REGISTRY.get_or_init(|| Registry { plugins: Vec::new() })
    }
}
)",
                 "Registry", "singleton", {"`REGISTRY`", "OnceLock<Registry>", "`global()`"});
    addDetectRow("singleton rust lazy_static", "rust", R"(
lazy_static! {
    static ref CACHE: Mutex<Cache> = Mutex::new(Cache::new());
}

pub struct Cache {
    entries: HashMap<String, String>,
}

pub fn cache() -> &'static Mutex<Cache> {
    &CACHE
}
)",
                 "Cache", "singleton", {"`CACHE`", "`cache()`"});

    addDetectRow("singleton c file static", "c", R"(
#include <stdlib.h>

struct config {
    int verbose;
    const char *home;
};

static struct config *instance;

struct config *config_get(void)
{
    if (!instance) {
        instance = calloc(1, sizeof *instance);
    }
    return instance;
}
)",
                 "config", "singleton", {"`instance`", "`config_get()`"});

    // factory
    addDetectRow("factory java switch", "java", R"(
public interface Shape {
    double area();

    static Shape of(String kind, double size) {
        switch (kind) {
            case "circle": return new Circle(size);
            case "square": return new Square(size);
            default: throw new IllegalArgumentException(kind);
        }
    }
}

class Circle implements Shape { public double area() { return 3.14; } }
class Square implements Shape { public double area() { return 1.0; } }
)",
                 "Shape", "factory", {"`of()`", "Circle", "Square"});
    addDetectRow("factory python classmethod", "python", R"(
class Color:
    def __init__(self, r, g, b):
        self.r, self.g, self.b = r, g, b

    @classmethod
    def from_hex(cls, text):
        value = int(text.lstrip("#"), 16)
        return cls(value >> 16, (value >> 8) & 255, value & 255)
)",
                 "Color", "factory", {"`from_hex()`", "Color"});
    addDetectRow("factory python module function", "python", R"(
class Exporter:
    def export(self, rows):
        raise NotImplementedError


class CsvExporter(Exporter):
    def export(self, rows):
        return "\n".join(",".join(r) for r in rows)


class JsonExporter(Exporter):
    def export(self, rows):
        return json.dumps(rows)


def make_exporter(fmt):
    if fmt == "csv":
        return CsvExporter()
    return JsonExporter()
)",
                 "Exporter", "factory", {"`make_exporter()`", "CsvExporter", "JsonExporter"});
    addDetectRow("factory go function", "go", R"(
package store

type Store interface {
	Get(key string) (string, error)
}

type memoryStore struct{ data map[string]string }
type diskStore struct{ dir string }

func (m *memoryStore) Get(key string) (string, error) { return m.data[key], nil }
func (d *diskStore) Get(key string) (string, error)   { return read(d.dir, key) }

func Open(kind string) Store {
	switch kind {
	case "memory":
		return &memoryStore{data: map[string]string{}}
	default:
		return &diskStore{dir: kind}
	}
}
)",
                 "Store", "factory", {"`Open()`", "memoryStore", "diskStore"});
    addDetectRow("factory typescript static", "typescript", R"(
export class Money {
  private constructor(readonly cents: number, readonly currency: string) {}

  static fromString(text: string): Money {
    const [amount, currency] = text.split(" ");
    return new Money(Math.round(parseFloat(amount) * 100), currency);
  }
}
)",
                 "Money", "factory", {"`fromString()`", "Money"});
    addDetectRow("factory rust named constructor", "rust", R"(
pub struct Endpoint {
    host: String,
    port: u16,
}

impl Endpoint {
    pub fn new(host: String, port: u16) -> Self {
        Self { host, port }
    }

    pub fn localhost(port: u16) -> Self {
        Self { host: "127.0.0.1".into(), port }
    }
}
)",
                 "Endpoint", "factory", {"`localhost()`"});
    addDetectRow("factory cpp make_unique", "cpp", R"(
class Codec {
public:
    virtual ~Codec() = default;
    virtual std::string encode(const std::string &in) = 0;
    static std::unique_ptr<Codec> forName(const std::string &name);
};

class Base64Codec : public Codec { std::string encode(const std::string &in) override; };
class HexCodec : public Codec { std::string encode(const std::string &in) override; };

std::unique_ptr<Codec> Codec::forName(const std::string &name)
{
    if (name == "base64") {
        return std::make_unique<Base64Codec>();
    }
    return std::make_unique<HexCodec>();
}
)",
                 "Codec", "factory", {"`forName()`", "Base64Codec", "HexCodec"});

    // builder
    addDetectRow("builder java", "java", R"(
public class RequestBuilder {
    private String url;
    private int timeout = 30;
    private final Map<String, String> headers = new HashMap<>();

    public RequestBuilder url(String url) { this.url = url; return this; }
    public RequestBuilder timeout(int seconds) { this.timeout = seconds; return this; }
    public RequestBuilder header(String k, String v) { headers.put(k, v); return this; }

    public Request build() {
        return new Request(url, timeout, headers);
    }
}
)",
                 "RequestBuilder", "builder", {"`url()`", "`timeout()`", "`build()`", "Request"});
    addDetectRow("builder python", "python", R"(
class QueryBuilder:
    def __init__(self, table):
        self._table = table
        self._where = []
        self._limit = None

    def where(self, clause):
        self._where.append(clause)
        return self

    def limit(self, n):
        self._limit = n
        return self

    def build(self):
        sql = f"SELECT * FROM {self._table}"
        if self._where:
            sql += " WHERE " + " AND ".join(self._where)
        return sql
)",
                 "QueryBuilder", "builder", {"`where()`", "`limit()`", "`build()`"});
    addDetectRow("builder go", "go", R"(
package server

type Builder struct {
	addr    string
	timeout time.Duration
}

func (b *Builder) Addr(addr string) *Builder {
	b.addr = addr
	return b
}

func (b *Builder) Timeout(d time.Duration) *Builder {
	b.timeout = d
	return b
}

func (b *Builder) Build() *Server {
	return &Server{addr: b.addr, timeout: b.timeout}
}
)",
                 "Builder", "builder", {"`Addr()`", "`Timeout()`", "`Build()`", "Server"});
    addDetectRow("builder rust", "rust", R"(
#[derive(Default)]
pub struct ClientBuilder {
    base_url: String,
    retries: u32,
}

impl ClientBuilder {
    pub fn base_url(mut self, url: &str) -> Self {
        self.base_url = url.to_string();
        self
    }

    pub fn retries(mut self, n: u32) -> Self {
        self.retries = n;
        self
    }

    pub fn build(self) -> Client {
        Client { base_url: self.base_url, retries: self.retries }
    }
}
)",
                 "ClientBuilder", "builder",
                 {"`base_url()`", "`retries()`", "`build()`", "Client"});
    addDetectRow("builder cpp", "cpp", R"(
class MenuBuilder {
public:
    MenuBuilder &title(std::string text) { title_ = std::move(text); return *this; }
    MenuBuilder &item(std::string text) { items_.push_back(std::move(text)); return *this; }
    Menu build() const { return Menu(title_, items_); }

private:
    std::string title_;
    std::vector<std::string> items_;
};
)",
                 "MenuBuilder", "builder", {"`title()`", "`item()`", "`build()`"});

    // observer
    addDetectRow("observer python", "python", R"(
class EventEmitter:
    def __init__(self):
        self._subscribers = []

    def subscribe(self, callback):
        self._subscribers.append(callback)

    def unsubscribe(self, callback):
        self._subscribers.remove(callback)

    def emit(self, event):
        for callback in self._subscribers:
            callback(event)
)",
                 "EventEmitter", "observer",
                 {"`_subscribers`", "`subscribe()`", "`unsubscribe()`", "`emit()`"});
    addDetectRow("observer java", "java", R"(
public class StockTicker {
    private final List<PriceListener> listeners = new ArrayList<>();

    public void addListener(PriceListener l) { listeners.add(l); }
    public void removeListener(PriceListener l) { listeners.remove(l); }

    void publish(String symbol, double price) {
        for (PriceListener l : listeners) {
            l.onPrice(symbol, price);
        }
    }
}
)",
                 "StockTicker", "observer",
                 {"`listeners`", "`addListener()`", "`removeListener()`", "`publish()`"});
    addDetectRow("observer typescript forEach", "typescript", R"(
export class Store<S> {
  private handlers: Array<(state: S) => void> = [];

  subscribe(handler: (state: S) => void): void {
    this.handlers.push(handler);
  }

  unsubscribe(handler: (state: S) => void): void {
    this.handlers = this.handlers.filter((h) => h !== handler);
  }

  private notify(state: S): void {
    this.handlers.forEach((h) => h(state));
  }
}
)",
                 "Store", "observer",
                 {"`handlers`", "`subscribe()`", "`unsubscribe()`", "`notify()`"});
    addDetectRow("observer go", "go", R"(
package bus

type Bus struct {
	handlers []func(Event)
}

func (b *Bus) Subscribe(h func(Event)) {
	b.handlers = append(b.handlers, h)
}

func (b *Bus) Publish(e Event) {
	for _, h := range b.handlers {
		h(e)
	}
}
)",
                 "Bus", "observer", {"`handlers`", "`Subscribe()`", "`Publish()`"});
    addDetectRow("observer rust", "rust", R"(
pub struct Signal<T> {
    slots: Vec<Box<dyn Fn(&T)>>,
}

impl<T> Signal<T> {
    pub fn connect(&mut self, slot: Box<dyn Fn(&T)>) {
        self.slots.push(slot);
    }

    pub fn disconnect_all(&mut self) {
        self.slots.retain(|_| false);
    }

    pub fn emit(&self, value: &T) {
        for slot in &self.slots {
            slot(value);
        }
    }
}
)",
                 "Signal", "observer", {"`slots`", "`connect()`", "`emit()`"});
    addDetectRow("observer cpp", "cpp", R"(
class Button {
public:
    void onClick(std::function<void()> cb) { callbacks_.push_back(std::move(cb)); }
    void click()
    {
        for (auto &cb : callbacks_) {
            cb();
        }
    }

private:
    std::vector<std::function<void()>> callbacks_;
};
)",
                 "Button", "observer", {"`callbacks_`", "`onClick()`", "`click()`"});

    // decorator
    addDetectRow("decorator java", "java", R"(
interface DataSource {
    String read();
}

public class CompressingDataSource implements DataSource {
    private final DataSource wrappee;

    public CompressingDataSource(DataSource wrappee) { this.wrappee = wrappee; }

    @Override
    public String read() {
        return decompress(wrappee.read());
    }
}
)",
                 "CompressingDataSource", "decorator", {"`DataSource`", "`wrappee`", "`read()`"});
    addDetectRow("decorator python", "python", R"(
class Repository(ABC):
    @abstractmethod
    def find(self, key): ...


class CachedRepository(Repository):
    def __init__(self, inner: Repository):
        self._inner = inner
        self._cache = {}

    def find(self, key):
        if key not in self._cache:
            self._cache[key] = self._inner.find(key)
        return self._cache[key]
)",
                 "CachedRepository", "decorator", {"`Repository`", "`_inner`", "`find()`"});
    addDetectRow("decorator typescript proxy", "typescript", R"(
interface Api {
  fetch(path: string): Promise<string>;
}

export class LoggingApi implements Api {
  constructor(private readonly inner: Api, private readonly log: Logger) {}

  async fetch(path: string): Promise<string> {
    this.log.info(path);
    return this.inner.fetch(path);
  }
}
)",
                 "LoggingApi", "decorator", {"`Api`", "`inner`", "`fetch()`"});
    addDetectRow("decorator go", "go", R"(
package store

type Store interface {
	Get(key string) (string, error)
}

type loggingStore struct {
	next Store
	log  *log.Logger
}

func (s *loggingStore) Get(key string) (string, error) {
	s.log.Printf("get %s", key)
	return s.next.Get(key)
}
)",
                 "loggingStore", "decorator", {"`Store`", "`next`", "`Get()`"});
    addDetectRow("decorator rust", "rust", R"(
pub trait Source {
    fn read(&self) -> String;
}

pub struct Traced<S: Source> {
    inner: S,
}

impl<S: Source> Source for Traced<S> {
    fn read(&self) -> String {
        let value = self.inner.read();
        println!("read {}", value);
        value
    }
}
)",
                 "Traced", "decorator", {"`Source`", "`inner`", "`read()`"});
    addDetectRow("decorator cpp", "cpp", R"(
class Sink {
public:
    virtual ~Sink() = default;
    virtual void write(const std::string &s) = 0;
};

class BufferedSink : public Sink {
public:
    explicit BufferedSink(std::unique_ptr<Sink> inner) : inner_(std::move(inner)) {}
    void write(const std::string &s) override
    {
        buffer_ += s;
        if (buffer_.size() > 4096) {
            inner_->write(buffer_);
            buffer_.clear();
        }
    }

private:
    std::unique_ptr<Sink> inner_;
    std::string buffer_;
};
)",
                 "BufferedSink", "decorator", {"`Sink`", "`inner_`", "`write()`"});

    // strategy
    addDetectRow("strategy java", "java", R"(
interface CompressionStrategy {
    byte[] compress(byte[] data);
}

public class Archiver {
    private CompressionStrategy strategy;

    public Archiver(CompressionStrategy strategy) { this.strategy = strategy; }

    public void setStrategy(CompressionStrategy strategy) { this.strategy = strategy; }

    public byte[] archive(byte[] data) {
        return strategy.compress(data);
    }
}
)",
                 "Archiver", "strategy", {"`strategy`", "CompressionStrategy", "`archive()`"});
    addDetectRow("strategy python callable", "python", R"(
class Sorter:
    def __init__(self, key: Callable[[Item], int]):
        self._key = key

    def sort(self, items):
        return sorted(items, key=lambda item: self._key(item))
)",
                 "Sorter", "strategy", {"`_key`", "Callable", "`__init__()`", "`sort()`"});
    addDetectRow("strategy typescript", "typescript", R"(
interface PricingRule {
  price(base: number): number;
}

export class Checkout {
  constructor(private rule: PricingRule) {}

  total(items: Item[]): number {
    return items.reduce((sum, i) => sum + this.rule.price(i.base), 0);
  }
}
)",
                 "Checkout", "strategy", {"`rule`", "PricingRule", "`total()`"});
    addDetectRow("strategy go func field", "go", R"(
package retry

type Retrier struct {
	backoff func(attempt int) time.Duration
	max     int
}

func NewRetrier(backoff func(attempt int) time.Duration, max int) *Retrier {
	return &Retrier{backoff: backoff, max: max}
}

func (r *Retrier) Do(op func() error) error {
	for i := 0; i < r.max; i++ {
		if err := op(); err == nil {
			return nil
		}
		time.Sleep(r.backoff(i))
	}
	return errFailed
}
)",
                 "Retrier", "strategy", {"`backoff`", "`NewRetrier()`", "`Do()`"});
    addDetectRow("strategy rust dyn", "rust", R"(
pub trait Hasher {
    fn hash(&self, data: &[u8]) -> u64;
}

pub struct Index {
    hasher: Box<dyn Hasher>,
}

impl Index {
    pub fn new(hasher: Box<dyn Hasher>) -> Self {
        Index { hasher }
    }

    pub fn slot(&self, key: &[u8]) -> usize {
        (self.hasher.hash(key) % 64) as usize
    }
}
)",
                 "Index", "strategy", {"`hasher`", "Box<dyn Hasher>", "`new()`", "`slot()`"});
    addDetectRow("strategy cpp std::function", "cpp", R"(
class Scheduler {
public:
    explicit Scheduler(std::function<int(const Task &)> priority)
        : priority_(std::move(priority))
    {}

    void add(const Task &task) { queue_.emplace(priority_(task), task); }

private:
    std::function<int(const Task &)> priority_;
    std::multimap<int, Task> queue_;
};
)",
                 "Scheduler", "strategy", {"`priority_`", "std::function", "`add()`"});

    // iterator
    addDetectRow("iterator python", "python", R"(
class Countdown:
    def __init__(self, start):
        self.current = start

    def __iter__(self):
        return self

    def __next__(self):
        if self.current <= 0:
            raise StopIteration
        self.current -= 1
        return self.current + 1
)",
                 "Countdown", "iterator", {"`__iter__()`", "`__next__()`"});
    addDetectRow("iterator java", "java", R"(
public class Range implements Iterator<Integer> {
    private int next;
    private final int end;

    public Range(int start, int end) { this.next = start; this.end = end; }

    public boolean hasNext() { return next < end; }

    public Integer next() { return next++; }
}
)",
                 "Range", "iterator", {"Iterator", "`hasNext()`", "`next()`"});
    addDetectRow("iterator rust", "rust", R"(
pub struct Fibonacci {
    a: u64,
    b: u64,
}

impl Iterator for Fibonacci {
    type Item = u64;

    fn next(&mut self) -> Option<u64> {
        let r = self.a;
        self.a = self.b;
        self.b += r;
        Some(r)
    }
}
)",
                 "Fibonacci", "iterator", {"impl Iterator", "`next()`"});
    addDetectRow("iterator javascript", "javascript", R"(
class Tree {
  constructor() { this.nodes = []; }

  *[Symbol.iterator]() {
    for (const node of this.nodes) {
      yield node;
    }
  }
}
)",
                 "Tree", "iterator", {"Symbol.iterator"});
    addDetectRow("iterator cpp begin end", "cpp", R"(
class Path {
public:
    using const_iterator = std::vector<Point>::const_iterator;
    const_iterator begin() const { return points_.begin(); }
    const_iterator end() const { return points_.end(); }

private:
    std::vector<Point> points_;
};
)",
                 "Path", "iterator", {"`begin()`", "`end()`"});
    addDetectRow("iterator go", "go", R"(
package lines

type Scanner struct {
	r    *bufio.Reader
	line string
}

func (s *Scanner) Next() bool {
	line, err := s.r.ReadString('\n')
	s.line = line
	return err == nil
}

func (s *Scanner) Value() string { return s.line }
)",
                 "Scanner", "iterator", {"`Next()`", "`Value()`"});

    // context manager / RAII
    addDetectRow("context python", "python", R"(
class Transaction:
    def __init__(self, conn):
        self.conn = conn

    def __enter__(self):
        self.conn.execute("BEGIN")
        return self

    def __exit__(self, exc_type, exc, tb):
        self.conn.execute("ROLLBACK" if exc_type else "COMMIT")
)",
                 "Transaction", "context_manager", {"`__enter__()`", "`__exit__()`"});
    addDetectRow("context java", "java", R"(
public class LockedFile implements AutoCloseable {
    private final FileChannel channel;

    public LockedFile(Path path) throws IOException { channel = FileChannel.open(path); }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
)",
                 "LockedFile", "context_manager", {"AutoCloseable", "`close()`"});
    addDetectRow("raii cpp", "cpp", R"(
class File {
public:
    explicit File(const char *path) : handle_(std::fopen(path, "rb")) {}
    ~File()
    {
        if (handle_) {
            std::fclose(handle_);
        }
    }
    File(const File &) = delete;

private:
    FILE *handle_;
};
)",
                 "File", "raii", {"`handle_`", "`~File()`"});
    addDetectRow("raii rust drop", "rust", R"(
pub struct TempDir {
    path: PathBuf,
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}
)",
                 "TempDir", "raii", {"impl Drop", "`drop()`"});
    addDetectRow("context go close", "go", R"(
package db

type Conn struct {
	sock net.Conn
}

func (c *Conn) Close() error {
	return c.sock.Close()
}
)",
                 "Conn", "context_manager", {"`Close()`", "`sock`"});
    addDetectRow("singleton java eager", "java", R"(
public final class Clock {
    private static final Clock INSTANCE = new Clock();

    private Clock() {}

    public static Clock get() { return INSTANCE; }

    public long now() { return System.currentTimeMillis(); }
}
)",
                 "Clock", "singleton", {"`INSTANCE`", "`get()`", "private constructor"});
    addDetectRow("singleton python classmethod", "python", R"(
class Metrics:
    _instance = None

    @classmethod
    def instance(cls):
        if cls._instance is None:
            cls._instance = cls()
        return cls._instance
)",
                 "Metrics", "singleton", {"`_instance`", "`instance()`"});
    addDetectRow("decorator python untyped forwarding a base method", "python", R"(
class Transport:
    def send(self, payload):
        raise NotImplementedError


class RetryingTransport(Transport):
    def __init__(self, transport, attempts=3):
        self.transport = transport
        self.attempts = attempts

    def send(self, payload):
        for _ in range(self.attempts):
            try:
                return self.transport.send(payload)
            except IOError:
                continue
)",
                 "RetryingTransport", "decorator", {"`Transport`", "`transport`", "`send()`"});
    addDetectRow("context typescript dispose", "typescript", R"(
export class TempFile {
  constructor(readonly path: string) {}

  [Symbol.dispose](): void {
    fs.rmSync(this.path);
  }
}
)",
                 "TempFile", "context_manager", {"Symbol.dispose"});
}

void TestPatternDetector::detects()
{
    QFETCH(QString, language);
    QFETCH(QByteArray, source);
    QFETCH(QString, type);
    QFETCH(QString, pattern);
    QFETCH(QStringList, evidence);

    const QList<DetectedPattern> found = detectIn(language, source, type);
    QStringList names;
    for (const DetectedPattern &detected : found) {
        names << detected.name + QStringLiteral(": ") + detected.evidence;
    }
    const auto it = std::find_if(found.begin(), found.end(),
                                 [&](const DetectedPattern &p) { return p.name == pattern; });
    QVERIFY2(it != found.end(), qPrintable(names.join(QStringLiteral(" | "))));
    for (const QString &member : std::as_const(evidence)) {
        QVERIFY2(it->evidence.contains(member),
                 qPrintable(QStringLiteral("'%1' not in '%2'").arg(member, it->evidence)));
    }
    QVERIFY(it->line > 0);

    // Cut-off files (a symbol range past the end, half a class) must not crash.
    const FileAnalysis analysis = CodeExtractor::analyze(language, source);
    for (const CodeSymbol &symbol : analysis.symbols) {
        for (qsizetype cut = 0; cut < source.size(); cut += 23) {
            PatternDetector::detect(language, source.left(cut), symbol);
        }
    }
}

void TestPatternDetector::rejects_data()
{
    QTest::addColumn<QString>("language");
    QTest::addColumn<QByteArray>("source");
    QTest::addColumn<QString>("type");
    QTest::addColumn<QStringList>("absent"); // empty: no pattern at all

    addRejectRow("named SingletonFactory, no structure, python", "python", R"(
class SingletonFactory:
    def __init__(self, name):
        self.name = name

    def describe(self):
        return f"factory {self.name}"
)",
                 "SingletonFactory", {});
    addRejectRow("named SingletonFactory, no structure, java", "java", R"(
public class SingletonFactory {
    private String name;

    public SingletonFactory(String name) { this.name = name; }

    public String getName() { return name; }
}
)",
                 "SingletonFactory", {});
    addRejectRow("static field of another type, java", "java", R"(
public class Parser {
    private static Logger log = LoggerFactory.getLogger(Parser.class);
    private static final Pattern WORD = Pattern.compile("\\w+");

    public static Logger logger() { return log; }

    public List<String> words(String text) { return split(WORD, text); }
}
)",
                 "Parser", {"singleton", "factory"});
    addRejectRow("static field of another type, cpp", "cpp", R"(
class Cache {
public:
    static Registry &registry() { return s_registry; }

private:
    Cache();
    static Registry s_registry;
};
)",
                 "Cache", {"singleton"});
    addRejectRow("plain data class, python", "python", R"(
@dataclass
class Point:
    x: float
    y: float

    def distance(self, other):
        return math.hypot(self.x - other.x, self.y - other.y)
)",
                 "Point", {});
    addRejectRow("plain data struct, go", "go", R"(
package geo

type Point struct {
	X, Y float64
}

func NewPoint(x, y float64) *Point {
	return &Point{X: x, Y: y}
}

func (p Point) Add(o Point) Point { return Point{p.X + o.X, p.Y + o.Y} }
)",
                 "Point", {});
    addRejectRow("plain data struct, rust", "rust", R"(
#[derive(Debug, Clone)]
pub struct User {
    pub name: String,
    pub email: String,
}

impl User {
    pub fn new(name: String, email: String) -> Self {
        Self { name, email }
    }
}
)",
                 "User", {});
    addRejectRow("plain class, typescript", "typescript", R"(
export class ObserverFactoryBuilder {
  private items: string[] = [];

  add(item: string): void {
    this.items.push(item);
  }

  count(): number {
    return this.items.length;
  }
}
)",
                 "ObserverFactoryBuilder", {});
    addRejectRow("one fluent method is no builder, java", "java", R"(
public class Counter {
    private int value;

    public Counter increment() { value++; return this; }

    public int build() { return value; }
}
)",
                 "Counter", {"builder"});
    addRejectRow("accessor singleton is no factory, python", "python", R"(
class Metrics:
    _instance = None

    @classmethod
    def instance(cls):
        if cls._instance is None:
            cls._instance = cls()
        return cls._instance
)",
                 "Metrics", {"factory"});
    addRejectRow("shared default value with public constructor, java", "java", R"(
public final class Color {
    private static final Color BLACK = new Color(0);
    private final int rgb;

    public Color(int rgb) { this.rgb = rgb; }

    public static Color black() { return BLACK; }
}
)",
                 "Color", {"singleton"});
    addRejectRow("forwarding a method the base does not declare, python", "python", R"(
class Base:
    def close(self):
        pass


class Client(Base):
    def __init__(self, session):
        self.session = session

    def get(self, url):
        return self.session.get(url)
)",
                 "Client", {"decorator"});
    addRejectRow("field of a concrete type is no strategy, java", "java", R"(
public class Mailer {
    private final SmtpClient client;

    public Mailer(SmtpClient client) { this.client = client; }

    public void send(Mail mail) { client.deliver(mail); }
}
)",
                 "Mailer", {"strategy", "decorator"});
    addRejectRow("assignment operators are no fluent methods, cpp", "cpp", R"(
class Handle {
public:
    Handle &operator=(const Handle &other) { d = other.d; return *this; }
    Handle &operator=(Handle &&other) noexcept { std::swap(d, other.d); return *this; }
    static Handle create() { return Handle(new Data); }

private:
    explicit Handle(Data *data) : d(data) {}
    Data *d = nullptr;
};
)",
                 "Handle", {"builder"});
    addRejectRow("registry of instances is no singleton, python", "python", R"(
class Dialect:
    _registry = {}

    @classmethod
    def get(cls, name):
        if name not in cls._registry:
            cls._registry[name] = cls(name)
        return cls._registry[name]
)",
                 "Dialect", {"singleton"});
    addRejectRow("list without listeners is no observer, python", "python", R"(
class Batch:
    def __init__(self):
        self.items = []

    def add(self, item):
        self.items.append(item)

    def total(self):
        for item in self.items:
            print(item)
)",
                 "Batch", {"observer"});
}

void TestPatternDetector::rejects()
{
    QFETCH(QString, language);
    QFETCH(QByteArray, source);
    QFETCH(QString, type);
    QFETCH(QStringList, absent);

    const QList<DetectedPattern> found = detectIn(language, source, type);
    for (const DetectedPattern &detected : found) {
        const QString description = detected.name + QStringLiteral(": ") + detected.evidence;
        QVERIFY2(!absent.isEmpty() && !absent.contains(detected.name), qPrintable(description));
    }
}

void TestPatternDetector::callablesAndUnknownInputYieldNothing()
{
    const QByteArray source = R"(
class Settings:
    _instance = None

    def __new__(cls):
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance
)";
    const FileAnalysis analysis = CodeExtractor::analyze(QStringLiteral("python"), source);
    QVERIFY(!analysis.symbols.isEmpty());
    for (const CodeSymbol &symbol : analysis.symbols) {
        if (symbol.isCallable()) {
            QVERIFY(PatternDetector::detect(QStringLiteral("python"), source, symbol).isEmpty());
        } else {
            QVERIFY(!PatternDetector::detect(QStringLiteral("python"), source, symbol).isEmpty());
            QVERIFY(PatternDetector::detect(QStringLiteral("cobol"), source, symbol).isEmpty());
            CodeSymbol moved = symbol;
            moved.name = QStringLiteral("Other");
            QVERIFY(PatternDetector::detect(QStringLiteral("python"), source, moved).isEmpty());
        }
    }
    CodeSymbol type;
    type.kind = CodeSymbol::Kind::Class;
    type.name = QStringLiteral("Settings");
    type.endByte = 10;
    QVERIFY(PatternDetector::detect(QStringLiteral("python"), QByteArray(), type).isEmpty());
}

void TestPatternDetector::evidenceLineIsInsideTheFile()
{
    const QByteArray source = R"(public final class Config {
    private static Config instance;

    private Config() {}

    public static Config getInstance() {
        if (instance == null) {
            instance = new Config();
        }
        return instance;
    }
}
)";
    const QList<DetectedPattern> found =
        detectIn(QStringLiteral("java"), source, QStringLiteral("Config"));
    QCOMPARE(found.size(), 1);
    QCOMPARE(found.first().name, QStringLiteral("singleton"));
    QCOMPARE(found.first().line, 6); // the accessor
}

void TestPatternDetector::rustImplBlockStandsForItsType()
{
    const QByteArray source = R"(
pub struct Fibonacci {
    a: u64,
    b: u64,
}

impl Iterator for Fibonacci {
    type Item = u64;

    fn next(&mut self) -> Option<u64> {
        let r = self.a;
        self.a = self.b;
        self.b += r;
        Some(r)
    }
}
)";
    const FileAnalysis analysis = CodeExtractor::analyze(QStringLiteral("rust"), source);
    const auto impl =
        std::find_if(analysis.symbols.begin(), analysis.symbols.end(),
                     [](const CodeSymbol &s) { return s.kind == CodeSymbol::Kind::Impl; });
    QVERIFY(impl != analysis.symbols.end());
    const QList<DetectedPattern> found =
        PatternDetector::detect(QStringLiteral("rust"), source, *impl);
    QCOMPARE(found.size(), 1);
    QCOMPARE(found.first().name, QStringLiteral("iterator"));
    QVERIFY(found.first().evidence.contains(QStringLiteral("`next()`")));
    QCOMPARE(found.first().line, 10); // fn next
}

QTEST_GUILESS_MAIN(TestPatternDetector)
#include "TestPatternDetector.moc"

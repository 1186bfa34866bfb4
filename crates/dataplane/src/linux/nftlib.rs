//! nftables in process: `libnftables`, the library the `nft` program is a
//! thin shell over, loaded at run time (every machine with `nft` has it), so
//! a ruleset change costs a parse and one netlink transaction, not two
//! process spawns. Without the library, the caller falls back to `nft`.

use std::ffi::{c_char, c_int, c_uint, c_void, CStr, CString};
use std::sync::{Mutex, OnceLock};

type New = unsafe extern "C" fn(c_uint) -> *mut c_void;
type Free = unsafe extern "C" fn(*mut c_void);
type Buffer = unsafe extern "C" fn(*mut c_void) -> c_int;
type Run = unsafe extern "C" fn(*mut c_void, *const c_char) -> c_int;
type ErrorBuffer = unsafe extern "C" fn(*mut c_void) -> *const c_char;
type SetFlags = unsafe extern "C" fn(*mut c_void, c_uint);

struct Lib {
    new: New,
    free: Free,
    buffer_output: Buffer,
    buffer_error: Buffer,
    run: Run,
    output_buffer: ErrorBuffer,
    error_buffer: ErrorBuffer,
    set_output_flags: SetFlags,
}

/// One caller at a time: the library keeps some state outside its contexts.
static LOCK: Mutex<()> = Mutex::new(());

fn lib() -> Option<&'static Lib> {
    static LIB: OnceLock<Option<Lib>> = OnceLock::new();
    LIB.get_or_init(load).as_ref()
}

fn load() -> Option<Lib> {
    let name = CString::new("libnftables.so.1").ok()?;
    // SAFETY: dlopen of a system library; never closed, so the symbols stay valid.
    let handle = unsafe { libc::dlopen(name.as_ptr(), libc::RTLD_NOW | libc::RTLD_LOCAL) };
    if handle.is_null() {
        return None;
    }
    let sym = |s: &str| -> Option<*mut c_void> {
        let s = CString::new(s).ok()?;
        // SAFETY: looking a symbol up in a handle we hold open.
        let p = unsafe { libc::dlsym(handle, s.as_ptr()) };
        (!p.is_null()).then_some(p)
    };
    // SAFETY: the symbols have these C signatures (libnftables' public API, nftables/libnftables.h).
    unsafe {
        Some(Lib {
            new: std::mem::transmute::<*mut c_void, New>(sym("nft_ctx_new")?),
            free: std::mem::transmute::<*mut c_void, Free>(sym("nft_ctx_free")?),
            buffer_output: std::mem::transmute::<*mut c_void, Buffer>(sym("nft_ctx_buffer_output")?),
            buffer_error: std::mem::transmute::<*mut c_void, Buffer>(sym("nft_ctx_buffer_error")?),
            run: std::mem::transmute::<*mut c_void, Run>(sym("nft_run_cmd_from_buffer")?),
            output_buffer: std::mem::transmute::<*mut c_void, ErrorBuffer>(sym("nft_ctx_get_output_buffer")?),
            error_buffer: std::mem::transmute::<*mut c_void, ErrorBuffer>(sym("nft_ctx_get_error_buffer")?),
            set_output_flags: std::mem::transmute::<*mut c_void, SetFlags>(sym("nft_ctx_output_set_flags")?),
        })
    }
}

/// A libnftables context, whose netlink socket belongs to the namespace
/// of the thread that made it. Kept open for namespaces changed often: the
/// kernel frees what a transaction deleted after an RCU grace period, and
/// closing the socket waits for that (10–20 ms here), so one socket per
/// namespace, closed only with it, keeps that wait off every change.
pub struct Ctx {
    ptr: *mut c_void,
    lib: &'static Lib,
}

// SAFETY: a context is used by one thread at a time (`&mut self`, and the
// library lock held), and its socket is not tied to the thread that made it.
unsafe impl Send for Ctx {}

impl std::fmt::Debug for Ctx {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("nftlib::Ctx")
    }
}

/// `NFT_CTX_OUTPUT_JSON` (libnftables.h).
const OUTPUT_JSON: c_uint = 1 << 4;

impl Ctx {
    /// A context in the calling thread's namespace; None when the library is missing.
    pub fn here() -> Option<Result<Ctx, String>> {
        let lib = lib()?;
        let _one = LOCK.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        // SAFETY: the library's constructor; buffering its output and errors is its documented use.
        unsafe {
            let ptr = (lib.new)(0);
            if ptr.is_null() {
                return Some(Err("nft_ctx_new failed".into()));
            }
            (lib.buffer_output)(ptr);
            (lib.buffer_error)(ptr);
            Some(Ok(Ctx { ptr, lib }))
        }
    }

    /// Runs an `nft -f` text; Err: nft's own words.
    pub fn run(&mut self, text: &str) -> Result<(), String> {
        self.run_for_output(text, false).map(|_| ())
    }

    /// Runs a listing command and returns its JSON.
    pub fn list_json(&mut self, command: &str) -> Result<String, String> {
        self.run_for_output(command, true)
    }

    fn run_for_output(&mut self, text: &str, json: bool) -> Result<String, String> {
        let text = CString::new(text).map_err(|_| "the ruleset contains a NUL byte".to_string())?;
        let lib = self.lib;
        let _one = LOCK.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        // SAFETY: our context, under the lock; the buffers are copied out before the next call.
        unsafe {
            (lib.set_output_flags)(self.ptr, if json { OUTPUT_JSON } else { 0 });
            let rc = (lib.run)(self.ptr, text.as_ptr());
            let read = |p: *const c_char| {
                if p.is_null() {
                    String::new()
                } else {
                    CStr::from_ptr(p).to_string_lossy().into_owned()
                }
            };
            // Reading a buffer also empties it for the next call.
            let out = read((lib.output_buffer)(self.ptr));
            let err = read((lib.error_buffer)(self.ptr));
            if rc == 0 {
                Ok(out)
            } else {
                Err(err.trim().to_string())
            }
        }
    }
}

impl Drop for Ctx {
    fn drop(&mut self) {
        let _one = LOCK.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        // SAFETY: freeing our own context once.
        unsafe { (self.lib.free)(self.ptr) }
    }
}

/// Runs an `nft -f` text in the calling thread's network namespace with a
/// context of its own. Err: nft's own words, or None in place of them when
/// the library is missing.
pub fn run(text: &str) -> Result<(), Option<String>> {
    let mut ctx = Ctx::here().ok_or(None)?.map_err(Some)?;
    ctx.run(text).map_err(Some)
}

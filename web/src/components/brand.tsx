export function Logo({ size = 28 }: { size?: number }) {
  return (
    <svg class="logo" width={size} height={size} viewBox="0 0 32 32" aria-hidden="true">
      <path fill="currentColor" d="M16 2 4 6.5v8.7C4 23 9.2 28.3 16 30c6.8-1.7 12-7 12-14.8V6.5z" />
      <path
        fill="none"
        stroke="#5eead4"
        stroke-width="3"
        stroke-linecap="round"
        stroke-linejoin="round"
        d="m10.5 16.2 3.8 3.8 7.4-8"
      />
    </svg>
  );
}

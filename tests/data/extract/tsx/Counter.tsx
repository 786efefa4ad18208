import React, { useState } from 'react';

interface Props {
  start?: number;
}

/** Counts clicks. */
export function Counter({ start = 0 }: Props) {
  const [count, setCount] = useState(start);
  const onClick = () => setCount(count + 1);
  return (
    <button onClick={() => (count > 9 ? setCount(0) : onClick())}>
      {count > 0 && <span>{count}</span>}
    </button>
  );
}

export const Label = ({ text }: { text: string }) => <em>{text || 'none'}</em>;

export default class Board extends React.Component<Props> {
  render() {
    return <div>{this.props.start}</div>;
  }
}
